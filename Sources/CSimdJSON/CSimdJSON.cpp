// The C API of CSimdJSON.h over simdjson::dom. Handles are the DOM's own trivially copyable
// element and iterator values, copied in and out of fixed-size opaque structs.
#include "CSimdJSON.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <simdjson.h>
#include <type_traits>
#include <vector>

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;
namespace od = simdjson::ondemand;

struct kl_json_parser {
    simdjson::dom::parser parser;
    // List splitting: one on-demand parser walks the list, another each item's metadata.
    simdjson::ondemand::parser list_parser;
    simdjson::ondemand::parser item_parser;
    std::vector<uint8_t> padded;
    std::vector<kl_json_item_span> items;
    std::string kind;
};

namespace {

static_assert(sizeof(element) <= sizeof(kl_json_value), "dom::element must fit kl_json_value");
static_assert(std::is_trivially_copyable<element>::value, "dom::element must be trivially copyable");
static_assert(2 * sizeof(object::iterator) <= sizeof(kl_json_iter), "object iterators must fit kl_json_iter");
static_assert(2 * sizeof(array::iterator) <= sizeof(kl_json_iter), "array iterators must fit kl_json_iter");
static_assert(std::is_trivially_copyable<object::iterator>::value, "object::iterator must be trivially copyable");
static_assert(std::is_trivially_copyable<array::iterator>::value, "array::iterator must be trivially copyable");

inline element unwrap(kl_json_value v) {
    element e;
    std::memcpy(static_cast<void *>(&e), &v, sizeof(e));
    return e;
}

inline kl_json_value wrap(element e) {
    kl_json_value v{};
    std::memcpy(&v, static_cast<const void *>(&e), sizeof(e));
    return v;
}

template <typename Iterator>
void store(kl_json_iter *iter, Iterator current, Iterator end) {
    std::memcpy(iter->opaque, static_cast<const void *>(&current), sizeof(Iterator));
    std::memcpy(reinterpret_cast<char *>(iter->opaque) + sizeof(Iterator), static_cast<const void *>(&end), sizeof(Iterator));
}

// The DOM iterators have no default constructor, so they are read back from the bytes.
template <typename Iterator>
Iterator load(const kl_json_iter *iter, size_t slot) {
    alignas(Iterator) unsigned char raw[sizeof(Iterator)];
    std::memcpy(raw, reinterpret_cast<const char *>(iter->opaque) + slot * sizeof(Iterator), sizeof(Iterator));
    return *std::launder(reinterpret_cast<Iterator *>(raw));
}

bool is_space(uint8_t c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// raw_json() ends at the next structural character, so trailing whitespace is trimmed.
size_t trimmed_end(const std::vector<uint8_t> &buffer, size_t start, size_t end) {
    while (end > start && is_space(buffer[end - 1])) end--;
    return end;
}

size_t offset_of(const std::vector<uint8_t> &buffer, const char *p) {
    return size_t(reinterpret_cast<const uint8_t *>(p) - buffer.data());
}

// True when the raw key (pointing just after its opening quote) is exactly `name`.
bool key_is(const char *raw, std::string_view name) {
    return std::memcmp(raw, name.data(), name.size()) == 0 && raw[name.size()] == '"';
}

// Finds the members to cut inside one item by walking only its metadata (spec and status
// are skipped over the structural index, never decoded).
simdjson::error_code find_cuts(kl_json_parser *p, kl_json_item_span &span) {
    const char *start = reinterpret_cast<const char *>(p->padded.data()) + span.start;
    od::document doc;
    auto error = p->item_parser.iterate(start, span.end - span.start, p->padded.size() - span.start).get(doc);
    if (error) return error;
    od::object item;
    if ((error = doc.get_object().get(item))) return error;
    int cuts = 0;
    for (auto member : item) {
        od::field f;
        if ((error = std::move(member).get(f))) return error;
        if (!key_is(f.key().raw(), "metadata")) continue;
        od::object metadata;
        if (f.value().get_object().get(metadata)) return simdjson::SUCCESS;  // not an object: nothing to cut
        for (auto m : metadata) {
            od::field mf;
            if ((error = std::move(m).get(mf))) return error;
            const char *key = mf.key().raw();
            if (key_is(key, "managedFields")) {
                od::array managed;
                if (mf.value().get_array().get(managed)) continue;
                std::string_view raw;
                if ((error = managed.raw_json().get(raw))) return error;
                span.cut_start[cuts] = offset_of(p->padded, key - 1);
                span.cut_end[cuts] = trimmed_end(p->padded, span.cut_start[cuts], offset_of(p->padded, raw.data()) + raw.size());
                cuts++;
            } else if (key_is(key, "annotations")) {
                od::object annotations;
                if (mf.value().get_object().get(annotations)) continue;
                for (auto a : annotations) {
                    od::field af;
                    if ((error = std::move(a).get(af))) return error;
                    const char *akey = af.key().raw();
                    if (!key_is(akey, "kubectl.kubernetes.io/last-applied-configuration")) continue;
                    std::string_view token = af.value().raw_json_token();
                    span.cut_start[cuts] = offset_of(p->padded, akey - 1);
                    span.cut_end[cuts] = trimmed_end(p->padded, span.cut_start[cuts], offset_of(p->padded, token.data()) + token.size());
                    cuts++;
                    break;
                }
            }
            if (cuts == 2) break;
        }
        break;
    }
    // Cuts are applied front to back.
    if (cuts == 2 && span.cut_start[1] < span.cut_start[0]) {
        std::swap(span.cut_start[0], span.cut_start[1]);
        std::swap(span.cut_end[0], span.cut_end[1]);
    }
    return simdjson::SUCCESS;
}

}  // namespace

extern "C" {

kl_json_parser *kl_json_parser_new(void) { return new (std::nothrow) kl_json_parser(); }

void kl_json_parser_free(kl_json_parser *parser) { delete parser; }

void kl_json_parser_shrink(kl_json_parser *p, size_t max_bytes) {
    if (p->parser.capacity() > max_bytes) p->parser = simdjson::dom::parser();
    if (p->list_parser.capacity() > max_bytes) p->list_parser = od::parser();
    if (p->item_parser.capacity() > max_bytes) p->item_parser = od::parser();
    if (p->padded.capacity() > max_bytes + simdjson::SIMDJSON_PADDING) std::vector<uint8_t>().swap(p->padded);
    if (p->items.capacity() * sizeof(kl_json_item_span) > max_bytes) std::vector<kl_json_item_span>().swap(p->items);
}

size_t kl_json_parser_capacity(const kl_json_parser *p) {
    size_t padded = p->padded.capacity() > simdjson::SIMDJSON_PADDING ? p->padded.capacity() - simdjson::SIMDJSON_PADDING : 0;
    return std::max({p->parser.capacity(), p->list_parser.capacity(), p->item_parser.capacity(), padded});
}

int kl_json_parse(kl_json_parser *parser, const uint8_t *bytes, size_t length, kl_json_value *root) {
    element e;
    auto error = parser->parser.parse(bytes, length, true).get(e);
    if (error) return static_cast<int>(error);
    *root = wrap(e);
    return 0;
}

const char *kl_json_error_message(int code) { return simdjson::error_message(static_cast<simdjson::error_code>(code)); }

int kl_json_type(kl_json_value value) { return static_cast<int>(unwrap(value).type()); }

void kl_json_string(kl_json_value value, const char **bytes, size_t *length) {
    std::string_view s;
    if (unwrap(value).get_string().get(s)) {
        *bytes = "";
        *length = 0;
        return;
    }
    *bytes = s.data();
    *length = s.size();
}

int64_t kl_json_int64(kl_json_value value) {
    int64_t i = 0;
    return unwrap(value).get_int64().get(i) ? 0 : i;
}

uint64_t kl_json_uint64(kl_json_value value) {
    uint64_t u = 0;
    return unwrap(value).get_uint64().get(u) ? 0 : u;
}

double kl_json_double(kl_json_value value) {
    double d = 0;
    return unwrap(value).get_double().get(d) ? 0 : d;
}

int kl_json_bool(kl_json_value value) {
    bool b = false;
    return unwrap(value).get_bool().get(b) ? 0 : (b ? 1 : 0);
}

int kl_json_object_find(kl_json_value value, const char *key, size_t key_length, kl_json_value *out) {
    object o;
    if (unwrap(value).get_object().get(o)) return 0;
    element e;
    if (o.at_key(std::string_view(key, key_length)).get(e)) return 0;
    *out = wrap(e);
    return 1;
}

void kl_json_object_begin(kl_json_value value, kl_json_iter *iter) {
    object o;
    if (unwrap(value).get_object().get(o)) {
        std::memset(iter, 0, sizeof(*iter));
        return;
    }
    store(iter, o.begin(), o.end());
}

int kl_json_object_next(kl_json_iter *iter, const char **key, size_t *key_length, kl_json_value *value) {
    object::iterator current = load<object::iterator>(iter, 0), end = load<object::iterator>(iter, 1);
    if (current == end) return 0;
    std::string_view k = current.key();
    *key = k.data();
    *key_length = k.size();
    *value = wrap(current.value());
    ++current;
    store(iter, current, end);
    return 1;
}

void kl_json_array_begin(kl_json_value value, kl_json_iter *iter) {
    array a;
    if (unwrap(value).get_array().get(a)) {
        std::memset(iter, 0, sizeof(*iter));
        return;
    }
    store(iter, a.begin(), a.end());
}

int kl_json_array_next(kl_json_iter *iter, kl_json_value *value) {
    array::iterator current = load<array::iterator>(iter, 0), end = load<array::iterator>(iter, 1);
    if (current == end) return 0;
    *value = wrap(*current);
    ++current;
    store(iter, current, end);
    return 1;
}

int kl_json_split_list(kl_json_parser *p, const uint8_t *bytes, size_t length,
                       const kl_json_item_span **items, size_t *count,
                       size_t *metadata_start, size_t *metadata_end,
                       const char **kind, size_t *kind_length) {
    p->padded.resize(length + simdjson::SIMDJSON_PADDING);
    std::memcpy(p->padded.data(), bytes, length);
    std::memset(p->padded.data() + length, 0, simdjson::SIMDJSON_PADDING);
    p->items.clear();
    p->kind.clear();
    *metadata_start = *metadata_end = 0;
    od::document doc;
    auto error = p->list_parser.iterate(p->padded.data(), length, p->padded.size()).get(doc);
    if (error) return error;
    od::object top;
    if ((error = doc.get_object().get(top))) return error;
    for (auto member : top) {
        od::field f;
        if ((error = std::move(member).get(f))) return error;
        const char *key = f.key().raw();
        if (key_is(key, "items")) {
            if (f.value().is_null()) continue;
            od::array list;
            if ((error = f.value().get_array().get(list))) return error;
            for (auto element : list) {
                od::object item;
                if ((error = element.get_object().get(item))) return error;
                std::string_view raw;
                if ((error = item.raw_json().get(raw))) return error;
                kl_json_item_span span{};
                span.start = offset_of(p->padded, raw.data());
                span.end = trimmed_end(p->padded, span.start, span.start + raw.size());
                if ((error = find_cuts(p, span))) return error;
                p->items.push_back(span);
            }
        } else if (key_is(key, "metadata")) {
            od::object metadata;
            if (f.value().get_object().get(metadata)) continue;
            std::string_view raw;
            if ((error = metadata.raw_json().get(raw))) return error;
            *metadata_start = offset_of(p->padded, raw.data());
            *metadata_end = trimmed_end(p->padded, *metadata_start, *metadata_start + raw.size());
        } else if (key_is(key, "kind")) {
            std::string_view k;
            if (f.value().get_string().get(k) == simdjson::SUCCESS) p->kind.assign(k);
        }
    }
    *items = p->items.data();
    *count = p->items.size();
    *kind = p->kind.data();
    *kind_length = p->kind.size();
    return 0;
}

int kl_json_object_cuts(kl_json_parser *p, const uint8_t *bytes, size_t length, kl_json_item_span *span) {
    p->padded.resize(length + simdjson::SIMDJSON_PADDING);
    std::memcpy(p->padded.data(), bytes, length);
    std::memset(p->padded.data() + length, 0, simdjson::SIMDJSON_PADDING);
    *span = kl_json_item_span{};
    span->end = trimmed_end(p->padded, 0, length);
    return find_cuts(p, *span);
}

}  // extern "C"
