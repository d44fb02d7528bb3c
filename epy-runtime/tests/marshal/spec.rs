//! A hand-written plugin description, as `epy-codegen` would emit it, with
//! the `#[repr(C)]` layouts it describes.
use core::ffi::{c_char, c_void};
use core::mem::{align_of, offset_of, size_of};
use epy_runtime::ffi::PyObject;
use epy_runtime::*;
use std::sync::Mutex;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

pub type LogFn = unsafe extern "C" fn(*const c_char, i32) -> i32;

#[repr(C)]
pub struct Record {
    pub id: i32,
    pub value: f64,
    pub name: [u8; 64],
    pub wname: [u16; 8],
    pub origin: Point,
    pub samples: [i16; 4],
    pub color: i32,
    /// flags: 3 bits at 0, level: 5 bits at 3, delta: signed 4 bits at 8.
    pub bits: u32,
    /// A union of `uint32_t as_int` and `float as_float`.
    pub u: u32,
    pub label: *const c_char,
    pub user: *mut c_void,
    pub pts: [Point; 2],
    pub next: *mut Point,
    pub log: Option<LogFn>,
    pub ok: bool,
    pub big: u64,
    pub tiny: f32,
}

/// `#pragma pack(1)`: every field after `tag` is unaligned.
#[repr(C, packed)]
pub struct Packed {
    pub tag: u8,
    pub wide: [u16; 4],
    pub length: u32,
    pub ratio: f64,
}

impl Record {
    /// A zeroed record on the heap, as raw memory the test hands to Python.
    pub fn new_raw() -> *mut Record {
        Box::into_raw(Box::new(unsafe { core::mem::zeroed() }))
    }
}

const fn field(name: &'static core::ffi::CStr, offset: usize, kind: Kind) -> FieldSpec {
    FieldSpec {
        name,
        offset,
        kind,
        doc: c"",
    }
}

static POINT_FIELDS: [FieldSpec; 2] = [
    field(c"x", offset_of!(Point, x), Kind::I32),
    field(c"y", offset_of!(Point, y), Kind::I32),
];

const fn bits(shift: u8, width: u8, signed: bool) -> Kind {
    Kind::Bits {
        storage: &Kind::U32,
        shift,
        width,
        signed,
    }
}

static RECORD_FIELDS: [FieldSpec; 22] = [
    FieldSpec {
        name: c"id",
        offset: offset_of!(Record, id),
        kind: Kind::I32,
        doc: c"record number",
    },
    field(c"value", offset_of!(Record, value), Kind::F64),
    field(
        c"name",
        offset_of!(Record, name),
        Kind::CharArray(64, Encoding::Utf8),
    ),
    field(
        c"wname",
        offset_of!(Record, wname),
        Kind::CharArray(8, Encoding::Utf16),
    ),
    field(c"origin", offset_of!(Record, origin), Kind::Struct(0)),
    field(
        c"samples",
        offset_of!(Record, samples),
        Kind::Array(&Kind::I16, 4),
    ),
    field(
        c"color",
        offset_of!(Record, color),
        Kind::Enum(0, &Kind::I32),
    ),
    field(c"flags", offset_of!(Record, bits), bits(0, 3, false)),
    field(c"level", offset_of!(Record, bits), bits(3, 5, false)),
    field(c"delta", offset_of!(Record, bits), bits(8, 4, true)),
    field(c"as_int", offset_of!(Record, u), Kind::U32),
    field(c"as_float", offset_of!(Record, u), Kind::F32),
    field(
        c"label",
        offset_of!(Record, label),
        Kind::CStr(Encoding::Utf8),
    ),
    field(c"user", offset_of!(Record, user), Kind::Ptr),
    field(
        c"pts",
        offset_of!(Record, pts),
        Kind::Array(&Kind::Struct(0), 2),
    ),
    field(c"next", offset_of!(Record, next), Kind::StructPtr(0)),
    field(c"log", offset_of!(Record, log), Kind::FnPtr(0)),
    field(c"ok", offset_of!(Record, ok), Kind::Bool),
    field(c"big", offset_of!(Record, big), Kind::U64),
    field(c"tiny", offset_of!(Record, tiny), Kind::F32),
    // The same bytes seen as raw bytes and as a byte array.
    field(
        c"raw",
        offset_of!(Record, name),
        Kind::CharArray(64, Encoding::Bytes),
    ),
    field(
        c"name_bytes",
        offset_of!(Record, name),
        Kind::Array(&Kind::U8, 64),
    ),
];

static PACKED_FIELDS: [FieldSpec; 5] = [
    field(c"tag", offset_of!(Packed, tag), Kind::U8),
    field(
        c"wide",
        offset_of!(Packed, wide),
        Kind::CharArray(4, Encoding::Utf16),
    ),
    field(
        c"units",
        offset_of!(Packed, wide),
        Kind::Array(&Kind::U16, 4),
    ),
    field(c"length", offset_of!(Packed, length), Kind::U32),
    field(c"ratio", offset_of!(Packed, ratio), Kind::F64),
];

pub static SPEC: Spec = Spec {
    module: c"marsh",
    exports: &[c"greet", c"wgreet"],
    structs: &[
        StructSpec {
            name: c"Point",
            size: size_of::<Point>(),
            align: align_of::<Point>(),
            fields: &POINT_FIELDS,
            doc: c"A point in the plane.",
        },
        StructSpec {
            name: c"Record",
            size: size_of::<Record>(),
            align: align_of::<Record>(),
            fields: &RECORD_FIELDS,
            doc: c"One record.",
        },
        StructSpec {
            name: c"Packed",
            size: size_of::<Packed>(),
            align: align_of::<Packed>(),
            fields: &PACKED_FIELDS,
            doc: c"",
        },
    ],
    enums: &[EnumSpec {
        name: c"Color",
        members: &[(c"RED", 1), (c"GREEN", 2), (c"BLUE", 4)],
        doc: c"Colours a record can have.",
    }],
    consts: &[
        ConstSpec {
            name: c"LIMIT",
            value: ConstValue::Int(1000),
        },
        ConstSpec {
            name: c"RATIO",
            value: ConstValue::Float(0.25),
        },
        ConstSpec {
            name: c"GREETING",
            value: ConstValue::Str(c"hello from marsh"),
        },
    ],
    callbacks: &[CallbackSpec {
        name: c"LogFn",
        nargs: 2,
        invoke: invoke_log,
        pool: None,
    }],
    methods: &[],
    layer: c"",
};

/// What `epy-codegen` emits for `int (*LogFn)(const char *, int)`.
unsafe fn invoke_log(cx: &Cx, fnptr: *const c_void, args: &[*mut PyObject]) -> PyResult<Obj> {
    let _ = cx;
    unsafe {
        let f: LogFn = core::mem::transmute(fnptr);
        let mut k0 = None;
        let a0 = str_arg_from_py(args[0], Encoding::Utf8, &mut k0)?;
        let a1 = <i32 as Scalar>::from_py(args[1])?;
        let r = without_gil(|| f(a0, a1));
        to_py(r)
    }
}

/// Messages the host's log function received.
pub static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The host's log function: records the message, returns `level * 2`.
pub unsafe extern "C" fn host_log(msg: *const c_char, level: i32) -> i32 {
    let msg = unsafe { core::ffi::CStr::from_ptr(msg) }.to_string_lossy();
    LOG.lock().unwrap().push(format!("{msg}/{level}"));
    level * 2
}
