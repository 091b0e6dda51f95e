// The C API of CSimdJSON.h over simdjson::dom. Handles are the DOM's own trivially copyable
// element and iterator values, copied in and out of fixed-size opaque structs.
#include "CSimdJSON.h"

#include <cstring>
#include <new>
#include <simdjson.h>
#include <type_traits>

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

struct kl_json_parser {
    simdjson::dom::parser parser;
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

}  // namespace

extern "C" {

kl_json_parser *kl_json_parser_new(void) { return new (std::nothrow) kl_json_parser(); }

void kl_json_parser_free(kl_json_parser *parser) { delete parser; }

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

}  // extern "C"
