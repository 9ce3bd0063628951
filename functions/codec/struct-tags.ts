// Tags (field number << 3 | wire type) of google.protobuf.Struct, Value and ListValue, shared by the
// decoder and the encoder.
export const STRUCT_FIELDS = 10; // Struct.fields, map entry
export const ENTRY_KEY = 10; // Struct.FieldsEntry.key, string
export const ENTRY_VALUE = 18; // Struct.FieldsEntry.value, Value
export const LIST_VALUES = 10; // ListValue.values, Value
export const VALUE_NULL = 8; // Value.null_value, enum
export const VALUE_NUMBER = 17; // Value.number_value, double
export const VALUE_STRING = 26; // Value.string_value, string
export const VALUE_BOOL = 32; // Value.bool_value, bool
export const VALUE_STRUCT = 42; // Value.struct_value, Struct
export const VALUE_LIST = 50; // Value.list_value, ListValue
