// A small C API over simdjson's DOM parser (Debian libsimdjson-dev), so Swift can read
// Kubernetes JSON at simdjson's speed without C++ interop. Values are handles into the
// parser's document: valid until that parser parses again or is freed.
#ifndef KUBELUMA_CSIMDJSON_H
#define KUBELUMA_CSIMDJSON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kl_json_parser kl_json_parser;

/// An element of a parsed document (opaque; the size of simdjson's dom::element).
typedef struct { uint64_t opaque[2]; } kl_json_value;

/// Iteration state over an object's members or an array's elements.
typedef struct { uint64_t opaque[4]; } kl_json_iter;

/// The type of a value: simdjson's element_type characters.
enum {
    KL_JSON_ARRAY = '[',
    KL_JSON_OBJECT = '{',
    KL_JSON_INT64 = 'l',
    KL_JSON_UINT64 = 'u',
    KL_JSON_DOUBLE = 'd',
    KL_JSON_STRING = '"',
    KL_JSON_BOOL = 't',
    KL_JSON_NULL = 'n',
};

kl_json_parser *kl_json_parser_new(void);
void kl_json_parser_free(kl_json_parser *parser);
/// Frees the buffers that grew for inputs larger than `max_bytes` (a LIST page: the padded
/// copy and the structural index are several times the page), so a parser kept for the next
/// object does not hold a page's worth of memory.
void kl_json_parser_shrink(kl_json_parser *parser, size_t max_bytes);
/// The bytes of input the parser's buffers are sized for (the largest of them).
size_t kl_json_parser_capacity(const kl_json_parser *parser);

/// Parses `length` bytes (copied into the parser's padded buffer). Returns 0 and sets `root`,
/// or a simdjson error code (see kl_json_error_message).
int kl_json_parse(kl_json_parser *parser, const uint8_t *bytes, size_t length, kl_json_value *root);
const char *kl_json_error_message(int code);

int kl_json_type(kl_json_value value);
/// The unescaped UTF-8 of a string value (not NUL-terminated).
void kl_json_string(kl_json_value value, const char **bytes, size_t *length);
int64_t kl_json_int64(kl_json_value value);
uint64_t kl_json_uint64(kl_json_value value);
double kl_json_double(kl_json_value value);
int kl_json_bool(kl_json_value value);

/// Finds a member of an object by key; returns 1 and sets `out` when present.
int kl_json_object_find(kl_json_value object, const char *key, size_t key_length, kl_json_value *out);
void kl_json_object_begin(kl_json_value object, kl_json_iter *iter);
/// The next member; returns 0 after the last one.
int kl_json_object_next(kl_json_iter *iter, const char **key, size_t *key_length, kl_json_value *value);
void kl_json_array_begin(kl_json_value array, kl_json_iter *iter);
/// The next element; returns 0 after the last one.
int kl_json_array_next(kl_json_iter *iter, kl_json_value *value);

/// One item of a LIST body: its byte span and up to two member spans to cut out of it
/// (`metadata.managedFields` and the last-applied-configuration annotation), each from the
/// key's opening quote to the value's end; unused cuts are 0..0.
typedef struct {
    size_t start, end;
    size_t cut_start[2], cut_end[2];
} kl_json_item_span;

/// Splits a LIST body (`{"kind":…,"metadata":{…},"items":[…]}`) into its items without
/// decoding them. On success returns 0 and sets `items`/`count` (owned by the parser: valid
/// until its next call), the list metadata's span (0..0 when absent) and the list kind
/// (unescaped, owned by the parser; empty when absent). Offsets are into `bytes`.
int kl_json_split_list(kl_json_parser *parser, const uint8_t *bytes, size_t length,
                       const kl_json_item_span **items, size_t *count,
                       size_t *metadata_start, size_t *metadata_end,
                       const char **kind, size_t *kind_length);

/// The members to cut from one object (a watch event's pod or event), as for a LIST item:
/// `bytes` is copied into the parser's padded buffer, `span` gets offsets into `bytes`.
int kl_json_object_cuts(kl_json_parser *parser, const uint8_t *bytes, size_t length, kl_json_item_span *span);

#ifdef __cplusplus
}
#endif

#endif
