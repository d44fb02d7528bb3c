//! The marshaling functions against a hand-written spec, in the main
//! interpreter: scalars at their limits, strings, struct views over Rust
//! memory, memoryviews, host functions, the stub module, leaks.
#[path = "marshal/harness.rs"]
mod harness;
#[path = "marshal/spec.rs"]
mod spec;

use core::ffi::{CStr, c_char, c_void};
use core::ptr::{null, null_mut};
use epy_runtime::ffi::*;
use epy_runtime::*;
use harness::{Py, contains, cx, err, gil, ok, text};
use spec::{LOG, Packed, Point, Record, host_log};

/// A Python int from its decimal text.
fn int(py: &Py, n: i128) -> Obj {
    py.eval(&n.to_string())
}

macro_rules! limits {
    ($py:expr, $($t:ty => $cname:literal),*) => {$(
        let (min, max) = (<$t>::MIN as i128, <$t>::MAX as i128);
        for v in [min, max, 0] {
            let got: $t = ok(from_py(int($py, v)));
            assert_eq!(got as i128, v, stringify!($t));
            let back = ok(to_py(got));
            assert_eq!(text(back.as_ptr()), v.to_string());
        }
        for v in [min - 1, max + 1] {
            let e = err(from_py::<$t>(int($py, v)));
            assert_eq!(e, format!("OverflowError: value {v} does not fit in {}", $cname));
        }
    )*};
}

#[test]
fn integers_round_trip_at_their_limits_and_overflow_one_past() {
    let _g = gil();
    let py = Py::new();
    unsafe {
        limits!(&py, i8 => "int8_t", i16 => "int16_t", i32 => "int32_t", i64 => "int64_t",
            u8 => "uint8_t", u16 => "uint16_t", u32 => "uint32_t", u64 => "uint64_t",
            isize => "ssize_t", usize => "size_t");
        assert_eq!(
            err(from_py::<u8>(int(&py, 300))),
            "OverflowError: value 300 does not fit in uint8_t"
        );
        // Floats, strings and None are not ints; bools and IntEnums are.
        contains(
            &err(from_py::<i32>(py.eval("1.0"))),
            "TypeError: expected an int for int32_t, got float",
        );
        contains(&err(from_py::<u8>(py.eval("'1'"))), "TypeError");
        contains(&err(from_py::<i64>(py.eval("None"))), "TypeError");
        assert_eq!(ok(from_py::<i32>(py.eval("True"))), 1);
        assert_eq!(ok(from_py::<u16>(py.eval("Color.BLUE"))), 4);
        // `__index__` objects convert (numpy integers do this).
        py.run("class N:\n    def __index__(self): return 7");
        assert_eq!(ok(from_py::<u8>(py.eval("N()"))), 7);
    }
}

#[test]
fn floats_bools_and_pointers() {
    let _g = gil();
    let py = Py::new();
    unsafe {
        assert_eq!(ok(from_py::<f64>(py.eval("2.5"))), 2.5);
        assert_eq!(ok(from_py::<f64>(py.eval("3"))), 3.0);
        assert_eq!(ok(from_py::<f32>(py.eval("0.5"))), 0.5);
        assert!(ok(from_py::<f32>(py.eval("float('inf')"))).is_infinite());
        assert_eq!(
            err(from_py::<f32>(py.eval("1e300"))),
            "OverflowError: value 1e+300 does not fit in float"
        );
        contains(&err(from_py::<f64>(py.eval("'x'"))), "TypeError");
        assert_eq!(text(ok(to_py(0.25f32)).as_ptr()), "0.25");

        assert!(ok(from_py::<bool>(py.eval("True"))));
        assert!(!ok(from_py::<bool>(py.eval("False"))));
        assert!(ok(from_py::<bool>(py.eval("1"))));
        assert!(!ok(from_py::<bool>(py.eval("0"))));
        // No truthiness: a string or None is a mistake, not a bool.
        contains(&err(from_py::<bool>(py.eval("'no'"))), "TypeError");
        contains(&err(from_py::<bool>(py.eval("None"))), "TypeError");
        assert_eq!(text(ok(to_py(true)).as_ptr()), "True");

        assert_eq!(text(ok(ptr_to_py(null())).as_ptr()), "None");
        assert_eq!(
            text(ok(ptr_to_py(0x1234 as *const c_void)).as_ptr()),
            "4660"
        );
        assert!(ok(ptr_from_py(py.eval("None").as_ptr())).is_null());
        assert_eq!(ok(ptr_from_py(int(&py, 0x1234).as_ptr())) as usize, 0x1234);
        contains(
            &err(ptr_from_py(py.eval("1.5").as_ptr())),
            "TypeError: expected an int address",
        );
        // As in ctypes: -1 is all ones (`INVALID_HANDLE_VALUE`).
        assert_eq!(ok(ptr_from_py(int(&py, -1).as_ptr())) as usize, usize::MAX);
        contains(
            &err(ptr_from_py(int(&py, 1 << 64).as_ptr())),
            "OverflowError",
        );
    }
}

#[test]
fn enums_are_int_enum_members_when_known() {
    let _g = gil();
    let py = Py::new();
    unsafe {
        let green = ok(enum_to_py(cx(), 0, 2));
        py.set("green", &green);
        py.check(
            "green is Color.GREEN
             isinstance(green, int) and green == 2
             Color.__module__ == 'marsh' and Color.__doc__ == 'Colours a record can have.'
             [c.name for c in Color] == ['RED', 'GREEN', 'BLUE']",
        );
        // C enums may hold any value: a plain int then.
        let other = ok(enum_to_py(cx(), 0, 3));
        py.set("other", &other);
        py.check("type(other) is int and other == 3");
    }
}

#[test]
fn strings_in_both_directions() {
    let _g = gil();
    let py = Py::new();
    unsafe {
        let show = |o: Obj| {
            py.set("s", &o);
            py.show("ascii(s)")
        };
        assert_eq!(show(ok(str_to_py(null(), Encoding::Utf8))), "None");
        let utf8 = c"h\xc3\xa9llo";
        assert_eq!(
            show(ok(str_to_py(utf8.as_ptr(), Encoding::Utf8))),
            "'h\\xe9llo'"
        );
        // Not UTF-8: surrogateescape, so the byte comes back unchanged.
        let latin = c"caf\xe9";
        assert_eq!(
            show(ok(str_to_py(latin.as_ptr(), Encoding::Utf8))),
            "'caf\\udce9'"
        );
        let p = ok(str_from_py(cx(), 0, py.eval("s"), Encoding::Utf8));
        assert_eq!(CStr::from_ptr(p), latin);
        assert_eq!(
            show(ok(str_to_py(latin.as_ptr(), Encoding::Bytes))),
            "b'caf\\xe9'"
        );

        let wide: Vec<u16> = "a😀é".encode_utf16().chain([0]).collect();
        assert_eq!(wide.len(), 5); // the emoji is a surrogate pair
        let s = ok(wstr_to_py(wide.as_ptr()));
        py.set("w", &s);
        py.check("w == 'a😀é'");
        assert_eq!(show(ok(wstr_to_py(null()))), "None");
        assert_eq!(
            show(ok(str_to_py(
                wide.as_ptr() as *const c_char,
                Encoding::Utf16
            ))),
            "'a\\U0001f600\\xe9'"
        );

        // Returned strings live in the export's slot until its next return.
        let p = ok(str_from_py(
            cx(),
            0,
            py.eval("'h' + 'é' * 2"),
            Encoding::Utf8,
        ));
        py.run("import gc; gc.collect()");
        assert_eq!(CStr::from_ptr(p).to_str().unwrap(), "héé");
        let q = ok(str_from_py(cx(), 1, py.eval("w"), Encoding::Utf16)) as *const u16;
        assert_eq!(core::slice::from_raw_parts(q, 5), &wide[..]);
        assert_eq!(
            CStr::from_ptr(p).to_str().unwrap(),
            "héé",
            "another export's slot"
        );
        assert!(ok(str_from_py(cx(), 0, py.eval("None"), Encoding::Utf8)).is_null());
        let b = ok(str_from_py(
            cx(),
            0,
            py.eval("b'raw\\xff'"),
            Encoding::Bytes,
        ));
        assert_eq!(CStr::from_ptr(b).to_bytes(), b"raw\xff");
        contains(
            &err(str_from_py(cx(), 0, py.eval("'a\\0b'"), Encoding::Utf8)),
            "ValueError: a string passed to C must not contain NUL",
        );
        contains(
            &err(str_from_py(cx(), 0, py.eval("'a\\0b'"), Encoding::Utf16)),
            "ValueError",
        );
        contains(
            &err(str_from_py(cx(), 0, py.eval("3"), Encoding::Utf8)),
            "TypeError: expected str, bytes or None",
        );
        // Arguments for host callbacks: valid while `keep` lives.
        let mut keep = None;
        let a = ok(str_arg_from_py(
            py.eval("'x' * 3").as_ptr(),
            Encoding::Utf8,
            &mut keep,
        ));
        assert_eq!(CStr::from_ptr(a).to_str().unwrap(), "xxx");
        assert!(keep.is_some());
    }
}

#[test]
fn struct_views_read_and_write_host_memory() {
    let _g = gil();
    let py = Py::new();
    let rec = Record::new_raw();
    let mut target = Point { x: 11, y: 12 };
    unsafe {
        (*rec).id = 7;
        (*rec).color = 4;
        (*rec).bits = 0xFFFF_F000; // neighbours of the bitfields
        (*rec).label = c"lbl".as_ptr();
        (*rec).next = &mut target;
        (*rec).log = Some(host_log);
        let r = ok(struct_ptr_to_py(cx(), rec as *const c_void, 1, false));
        py.set("r", &r);
        py.check(
            "type(r) is Record and type(r).__module__ == 'marsh' and Record.__doc__ == 'One record.'
             Record.id.__doc__ == 'record number'
             r.id == 7 and r.value == 0.0 and r.name == '' and r.ok is False
             r.color is Color.BLUE
             r.label == 'lbl'
             r.user is None
             r.next.x == 11 and r.next.y == 12",
        );
        py.run("r.id = -5; r.value = 3; r.ok = True; r.big = 2**64 - 1; r.tiny = 0.5");
        assert_eq!((*rec).id, -5);
        assert_eq!((*rec).value, 3.0);
        assert!((*rec).ok);
        assert_eq!((*rec).big, u64::MAX);
        assert_eq!((*rec).tiny, 0.5);
        contains(
            &py.raises("r.id = 2**31"),
            "OverflowError: value 2147483648 does not fit in int32_t",
        );
        contains(&py.raises("r.id = 1.5"), "TypeError");
        contains(&py.raises("del r.id"), "TypeError");
        contains(&py.raises("r.nope = 1"), "AttributeError");
        assert_eq!((*rec).id, -5, "failed writes change nothing");

        // char[64]: NUL-padded, never truncated.
        py.run("r.name = 'héllo'");
        assert_eq!({ (*rec).name }[..7], *b"h\xc3\xa9llo\0");
        py.check("r.name == 'héllo' and r.raw == b'h\\xc3\\xa9llo'");
        py.run("r.name = 'x' * 63");
        contains(
            &py.raises("r.name = 'y' * 64"),
            "ValueError: name holds at most 63 bytes plus a NUL; this value needs 64",
        );
        assert_eq!({ (*rec).name }[62..], [b'x', 0]);
        py.run("r.name = b'ab'");
        assert_eq!({ (*rec).name }[..3], *b"ab\0");
        assert!(
            { (*rec).name }[3..].iter().all(|&b| b == 0),
            "padded with NULs"
        );
        // WCHAR[8]: UTF-16 units, surrogate pairs count as two.
        py.run("r.wname = 'a😀'");
        let units: Vec<u16> = "a😀".encode_utf16().chain([0]).collect();
        assert_eq!({ (*rec).wname }[..4], units[..]);
        py.check("r.wname == 'a😀'");
        contains(
            &py.raises("r.wname = '😀' * 4"),
            "ValueError: wname holds at most 7 UTF-16 units",
        );

        // Nested structs share memory; assigning one copies its bytes.
        py.run("r.origin.x = 5\no = r.origin\no.y = 9");
        assert_eq!((*rec).origin, Point { x: 5, y: 9 });
        py.run("r.origin = Point(x=1, y=2)");
        assert_eq!((*rec).origin, Point { x: 1, y: 2 });
        py.check("o.x == 1 and o.y == 2");
        contains(&py.raises("r.origin = r"), "TypeError: expected a Point");
        py.run("r.pts[1].x = 3");
        assert_eq!((*rec).pts[1].x, 3);
        py.check("len(r.pts) == 2 and r.pts[0].x == 0");

        // Arrays are zero-copy memoryviews.
        py.run("m = r.samples\nm[2] = -7");
        assert_eq!((*rec).samples[2], -7);
        py.check(
            "m.format == 'h' and m.itemsize == 2 and len(m) == 4 and not m.readonly
             r.samples.tolist() == [0, 0, -7, 0]
             r.name_bytes.format == 'B' and len(r.name_bytes) == 64",
        );
        contains(&py.raises("m[0] = 40000"), "ValueError");

        // Enums: members when known, any int accepted.
        py.run("r.color = Color.GREEN");
        assert_eq!((*rec).color, 2);
        py.run("r.color = 3");
        py.check("type(r.color) is int and r.color == 3");
        contains(&py.raises("r.color = 'RED'"), "TypeError");

        // Bitfields: read-modify-write of their unit only.
        py.run("r.flags = 5; r.level = 17; r.delta = -3");
        assert_eq!((*rec).bits, 0xFFFF_F000 | 5 | (17 << 3) | (0xD << 8));
        py.check("r.flags == 5 and r.level == 17 and r.delta == -3");
        contains(
            &py.raises("r.flags = 8"),
            "OverflowError: value 8 does not fit in the 3-bit field flags",
        );
        contains(&py.raises("r.delta = -9"), "OverflowError");
        contains(&py.raises("r.level = -1"), "OverflowError");
        py.run("r.delta = 7");
        py.check("r.delta == 7 and r.flags == 5 and r.level == 17");
        assert_eq!((*rec).bits >> 12, 0xFFFFF, "neighbour bits untouched");

        // A union: two fields at one offset.
        py.run("r.as_float = 1.0");
        py.check("r.as_int == 0x3f800000");

        // Pointers: ints, views, None; `char*`, struct pointers and
        // function pointers are read-only.
        py.run("r.user = 0x1000");
        assert_eq!((*rec).user as usize, 0x1000);
        py.run("r.user = r.origin");
        assert_eq!((*rec).user, &raw mut (*rec).origin as *mut c_void);
        py.run("r.user = None");
        assert!((*rec).user.is_null());
        contains(
            &py.raises("r.label = 'x'"),
            "AttributeError: label is read-only",
        );
        contains(&py.raises("r.next = None"), "AttributeError");
        py.run("r.next.y = 99");
        assert_eq!(target.y, 99);
        py.check("r.log('hi', 3) == 6");
        assert_eq!(LOG.lock().unwrap().last().unwrap(), "hi/3");

        let repr = py.show("repr(r)");
        for part in [
            "Record(id=-5, value=3.0, ",
            "origin=Point(x=1, y=2)",
            "samples=[0, 0, -7, 0]",
            "color=3",
            "label='lbl'",
        ] {
            contains(&repr, part);
        }

        (*rec).next = null_mut();
        (*rec).label = null();
        (*rec).log = None;
        py.check("r.next is None and r.label is None and r.log is None");
        drop(r);
        drop(Box::from_raw(rec));
    }
}

#[test]
fn const_views_are_read_only() {
    let _g = gil();
    let py = Py::new();
    let rec = Record::new_raw();
    unsafe {
        let c = ok(struct_ptr_to_py(cx(), rec as *const c_void, 1, true));
        py.set("c", &c);
        contains(
            &py.raises("c.id = 1"),
            "AttributeError: id is read-only here",
        );
        contains(&py.raises("c.origin.x = 1"), "AttributeError");
        contains(&py.raises("c.samples[0] = 1"), "TypeError");
        contains(&py.raises("c.pts[0].x = 1"), "AttributeError");
        py.check("c.id == 0 and c.samples.readonly");
        drop(c);
        drop(Box::from_raw(rec));
    }
}

#[test]
fn packed_structs_have_unaligned_fields() {
    let _g = gil();
    let py = Py::new();
    let p = Box::into_raw(Box::new(Packed {
        tag: 1,
        wide: [0; 4],
        length: 0,
        ratio: 0.0,
    }));
    unsafe {
        let v = ok(struct_ptr_to_py(cx(), p as *const c_void, 2, false));
        py.set("p", &v);
        py.run("p.wide = 'é😀'\np.length = 0xDEADBEEF\np.ratio = 0.125");
        let wide = (*p).wide;
        assert_eq!(wide, [0xE9, 0xD83D, 0xDE00, 0]);
        assert_eq!({ (*p).length }, 0xDEADBEEF);
        assert_eq!({ (*p).ratio }, 0.125);
        py.check(
            "p.wide == 'é😀' and p.length == 0xDEADBEEF and p.ratio == 0.125 and p.tag == 1
             p.units.tolist() == [0xE9, 0xD83D, 0xDE00, 0]
             Packed().wide == '' and Packed.__doc__ == 'A live view of a C struct.'",
        );
        drop(v);
        drop(Box::from_raw(p));
    }
}

#[test]
fn views_kept_after_the_call_raise() {
    let _g = gil();
    let py = Py::new();
    let rec = Record::new_raw();
    unsafe {
        let r = ok(struct_ptr_to_py(cx(), rec as *const c_void, 1, false));
        py.set("r", &r);
        py.run("kept = [r, r.origin, r.pts[0]]\nm = r.samples\ngone = r.samples");
        py.run("del r, gone");
        // The stub's own reference is the last one besides `kept`.
        release_arg(r);
        drop(Box::from_raw(rec));
        for code in [
            "kept[0].id",
            "kept[1].x",
            "kept[2].y = 1",
            "kept[0].samples",
        ] {
            contains(&py.raises(code), "ValueError: this ");
            contains(
                &py.raises(code),
                " view was used after the call that received it returned",
            );
        }
        contains(
            &py.raises("m[0]"),
            "ValueError: operation forbidden on released memoryview",
        );
        py.check("repr(kept[0]) == '<Record: released>'");
        contains(&err(ptr_from_py(py.eval("kept[1]").as_ptr())), "ValueError");

        // Not kept: nothing to invalidate, and nothing breaks.
        let rec = Record::new_raw();
        let r = ok(struct_ptr_to_py(cx(), rec as *const c_void, 1, false));
        release_arg(r);
        drop(Box::from_raw(rec));
    }
}

#[test]
fn buffers_derived_during_the_call_are_revoked_after_it() {
    let _g = gil();
    let py = Py::new();
    unsafe {
        // An argument buffer: slices, casts, re-wraps and the exporter.
        let doubles = Box::into_raw(Box::new([0.5f64, 1.5, 2.5, 3.5]));
        let m = ok(buffer_to_py(
            cx(),
            doubles as *mut c_void,
            4,
            Kind::F64,
            false,
        ));
        py.set("m", &m);
        py.run("kept = [m[1:3], m.cast('B'), memoryview(m), m[::-1]]\nexp = m.obj\ndel m");
        py.check("kept[0].tolist() == [1.5, 2.5]");
        release_arg(m);
        for i in 0..4 {
            contains(
                &py.raises(&format!("kept[{i}][0]")),
                "ValueError: operation forbidden on released memoryview",
            );
        }
        contains(
            &py.raises("memoryview(exp)"),
            "ValueError: this buffer was used after the call",
        );
        // `pin` has an export of its own (the PickleBuffer): it cannot be
        // released, so it now reads and writes a private copy.
        let m = ok(buffer_to_py(
            cx(),
            doubles as *mut c_void,
            4,
            Kind::F64,
            false,
        ));
        py.set("m", &m);
        py.run("import pickle\npin = m[0:2]\npb = pickle.PickleBuffer(pin)\ndel m");
        release_arg(m);
        (*doubles)[0] = 9.0;
        py.check("pin.tolist() == [0.5, 1.5]");
        py.run("pin[1] = 7.0");
        assert_eq!((*doubles)[1], 1.5);
        drop(Box::from_raw(doubles));

        // Array fields of a host struct: the same after `release_arg`.
        let rec = Record::new_raw();
        (*rec).samples = [1, 2, 3, 4];
        let r = ok(struct_ptr_to_py(cx(), rec as *const c_void, 1, false));
        py.set("r", &r);
        py.run("a = r.samples[1:3]\nb = memoryview(r.samples).cast('B')\ndel r");
        py.check("a.tolist() == [2, 3]");
        release_arg(r);
        drop(Box::from_raw(rec));
        contains(
            &py.raises("a[0]"),
            "ValueError: operation forbidden on released memoryview",
        );
        contains(
            &py.raises("b[0] = 1"),
            "ValueError: operation forbidden on released memoryview",
        );

        // Nothing kept: the exporter is reused, nothing is revoked late.
        let ints = Box::into_raw(Box::new([1i32, 2]));
        for _ in 0..3 {
            let m = ok(buffer_to_py(cx(), ints as *mut c_void, 2, Kind::I32, true));
            py.set("m", &m);
            py.check("sum(m[0:2]) == 3");
            py.run("del m");
            release_arg(m);
        }
        drop(Box::from_raw(ints));
    }
}

#[test]
fn struct_types_refuse_class_assignment() {
    let _g = gil();
    let py = Py::new();
    unsafe {
        contains(
            &py.raises("p = Point(x=1, y=2)\np.__class__ = Record"),
            "TypeError: __class__ assignment only supported for mutable types",
        );
        let rec = Record::new_raw();
        let r = ok(struct_ptr_to_py(cx(), rec as *const c_void, 1, false));
        py.set("r", &r);
        contains(
            &py.raises("r.__class__ = Point"),
            "TypeError: __class__ assignment",
        );
        // Python subclasses are mutable, but their layouts differ.
        py.run("class P2(Point): pass\nclass R2(Record): pass\nq = P2(x=1, y=2)");
        contains(
            &py.raises("q.__class__ = R2"),
            "TypeError: __class__ assignment",
        );
        contains(&py.raises("Record.name.__set__(q, 'B' * 31)"), "TypeError");
        py.run("del r");
        release_arg(r);
        drop(Box::from_raw(rec));
    }
}

#[test]
fn owned_structs_and_structs_by_value() {
    let _g = gil();
    let py = Py::new();
    unsafe {
        py.run("p = Point(x=1, y=2)\nrec = Record(id=3, name='n')");
        py.check(
            "p.x == 1 and p.y == 2 and repr(p) == 'Point(x=1, y=2)'
             rec.id == 3 and rec.name == 'n' and rec.value == 0.0 and rec.samples.tolist() == [0] * 4",
        );
        contains(
            &py.raises("Point(1, 2)"),
            "TypeError: struct types take keyword arguments only",
        );
        contains(&py.raises("Point(z=1)"), "AttributeError");
        contains(&py.raises("Point.__base__()"), "TypeError");
        // Owned memory is aligned for the struct.
        let addr = ok(ptr_from_py(py.eval("rec").as_ptr())) as usize;
        assert_eq!(addr % core::mem::align_of::<Record>(), 0);
        // Arrays and nested views keep a temporary owner alive.
        py.run("m = Record(id=1).samples\nm[0] = 5\no = Record().origin\no.x = 4\nimport gc; gc.collect()");
        py.check("m[0] == 5 and m.tolist() == [5, 0, 0, 0] and o.x == 4");

        // By value: copies both ways.
        let mut pt = Point::default();
        ok(struct_val_from_py(
            cx(),
            py.eval("p").as_ptr(),
            0,
            &mut pt as *mut Point as *mut c_void,
        ));
        assert_eq!(pt, Point { x: 1, y: 2 });
        contains(
            &err(struct_val_from_py(
                cx(),
                py.eval("rec").as_ptr(),
                0,
                &mut pt as *mut Point as *mut c_void,
            )),
            "TypeError: expected a Point (e.g. Point()), got marsh.Record",
        );
        let copy = ok(struct_val_to_py(
            cx(),
            &pt as *const Point as *const c_void,
            0,
        ));
        py.set("copy", &copy);
        py.run("copy.x = 100");
        assert_eq!(pt.x, 1, "the Python copy is independent");
        pt.y = 50;
        py.check("copy.y == 2");

        // Python subclasses work like their struct.
        py.run("class P2(Point):\n    def total(self): return self.x + self.y\nq = P2(x=3, y=4)");
        py.check("q.total() == 7 and isinstance(q, Point)");
        ok(struct_val_from_py(
            cx(),
            py.eval("q").as_ptr(),
            0,
            &mut pt as *mut Point as *mut c_void,
        ));
        assert_eq!(pt, Point { x: 3, y: 4 });
    }
}

#[test]
fn buffers_are_zero_copy_memoryviews() {
    let _g = gil();
    let py = Py::new();
    unsafe {
        let ints = Box::into_raw(Box::new([1i32, 2, 3]));
        let m = ok(buffer_to_py(cx(), ints as *mut c_void, 3, Kind::I32, false));
        scribble_stack();
        py.set("m", &m);
        py.run("m[1] = 20");
        assert_eq!(*ints, [1, 20, 3]);
        (*ints)[2] = 30;
        // Shape and strides survived their stack frame: derived views work.
        py.check(
            "m.tolist() == [1, 20, 30] and m.format == 'i' and m.itemsize == 4 and m.shape == (3,)
             m[1:].tolist() == [20, 30] and m[::2].tolist() == [1, 30]
             len(m.cast('B')) == 12 and memoryview(m).tolist() == [1, 20, 30]",
        );
        let formats = [
            (Kind::I8, "b", 1),
            (Kind::U8, "B", 1),
            (Kind::I16, "h", 2),
            (Kind::U16, "H", 2),
            (Kind::I32, "i", 4),
            (Kind::U32, "I", 4),
            (Kind::I64, "q", 8),
            (Kind::U64, "Q", 8),
            (Kind::F32, "f", 4),
            (Kind::F64, "d", 8),
            (Kind::Bool, "?", 1),
        ];
        let mut mem = [0u64; 4];
        for (kind, format, size) in formats {
            let v = ok(buffer_to_py(
                cx(),
                mem.as_mut_ptr() as *mut c_void,
                2,
                kind,
                false,
            ));
            py.set("v", &v);
            py.check(&format!(
                "v.format == {format:?} and v.itemsize == {size} and v.nbytes == {}",
                2 * size
            ));
        }
        let doubles = Box::into_raw(Box::new([0.5f64, 1.5]));
        let d = ok(buffer_to_py(
            cx(),
            doubles as *mut c_void,
            2,
            Kind::F64,
            true,
        ));
        py.set("d", &d);
        py.check("d.readonly and sum(d) == 2.0");
        contains(
            &py.raises("d[0] = 1.0"),
            "TypeError: cannot modify read-only memory",
        );
        (*doubles)[0] = 2.0;
        py.check("d[0] == 2.0");
        let empty = ok(buffer_to_py(cx(), null_mut(), 0, Kind::U8, false));
        py.set("e", &empty);
        py.check("len(e) == 0 and bytes(e) == b''");
        assert_eq!(
            text(ok(buffer_to_py(cx(), null_mut(), 4, Kind::U8, false)).as_ptr()),
            "None"
        );
        // After the call a kept memoryview is released.
        release_arg(d);
        contains(
            &py.raises("d[0]"),
            "ValueError: operation forbidden on released memoryview",
        );
        release_arg(m);
        contains(&py.raises("m[0]"), "ValueError");
        drop((Box::from_raw(ints), Box::from_raw(doubles)));
    }
}

/// Overwrites the stack below the caller's frame.
#[inline(never)]
fn scribble_stack() {
    let junk = [0xA5u8; 4096];
    std::hint::black_box(&junk);
}

#[test]
fn host_functions_are_callable() {
    let _g = gil();
    let py = Py::new();
    unsafe {
        let fnptr = host_log as *const c_void;
        let f = ok(callback_to_py(cx(), fnptr, 0));
        py.set("f", &f);
        py.check("f('hello', 2) == 4 and isinstance(f, LogFn) and LogFn is marsh.LogFn");
        assert_eq!(LOG.lock().unwrap().last().unwrap(), "hello/2");
        contains(&py.show("repr(f)"), "<host function LogFn at 0x");
        contains(
            &py.raises("f('x')"),
            "TypeError: LogFn() takes 2 arguments (1 given)",
        );
        contains(
            &py.raises("f('x', level=1)"),
            "TypeError: host functions take positional arguments only",
        );
        contains(
            &py.raises("f(1, 2)"),
            "TypeError: expected str, bytes or None",
        );
        contains(&py.raises("f('x', 2**40)"), "OverflowError");
        contains(&py.raises("LogFn()"), "TypeError");
        py.check("f(*['args', 1]) == 2 and list(map(f, ['a', 'b'], [1, 2])) == [2, 4]");
        // Handed back to the host, it is the same pointer.
        assert_eq!(ok(ptr_from_py(f.as_ptr())) as usize, fnptr as usize);
        assert_eq!(text(ok(callback_to_py(cx(), null(), 0)).as_ptr()), "None");
    }
}

#[test]
fn the_stub_module() {
    let _g = gil();
    let py = Py::new();
    py.check(
        "sys.modules['marsh'] is marsh
         LIMIT == 1000 and RATIO == 0.25 and GREETING == 'hello from marsh'
         Point.__module__ == 'marsh' and Point.__name__ == 'Point' and Point.__doc__ == 'A point in the plane.'
         Record.__base__ is Point.__base__ and Point.__base__.__name__ == '_StructView'
         isinstance(Exports, type)
         {'x', 'y'} <= set(dir(Point))",
    );
}

#[test]
fn objects_kept_after_unload_stay_sound() {
    let _g = gil();
    let py = Py::new();
    let rec = Record::new_raw();
    unsafe {
        (*rec).color = 2;
        // A second load of the same interface; the first stays in sys.modules.
        let first = py.eval("sys.modules['marsh']");
        let (module, types) = ok(epy_runtime::marshal::module::build(&spec::SPEC));
        assert_eq!(
            PyDict_SetItemString(PyImport_GetModuleDict(), c"marsh".as_ptr(), first.as_ptr()),
            0
        );
        drop(module);
        let cx2 = Cx::for_tests(&spec::SPEC, types);
        let r = ok(struct_ptr_to_py(&cx2, rec as *const c_void, 1, false));
        let f = ok(callback_to_py(&cx2, host_log as *const c_void, 0));
        py.set("r", &r);
        py.set("f", &f);
        drop((r, f));
        py.run("import weakref\nbase = weakref.ref(type(r).__base__)\nf('loaded', 1)");
        // Unload: the context and its types go; what the script kept stays.
        drop(cx2);
        py.check(
            "r.color.name == 'GREEN' and r.origin.x == 0 and r.pts[1].y == 0
             r.log is None",
        );
        contains(
            &py.raises("f('late', 1)"),
            "RuntimeError: the plugin is not loaded",
        );
        // Once the script lets go, the GC frees the types and the shared data.
        py.run("del r, f\nimport gc; gc.collect()");
        py.check("base() is None");
        drop(Box::from_raw(rec));
    }
}

/// Resident set size in KiB.
fn rss_kib() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4
}

#[test]
fn no_reference_leaks() {
    let _g = gil();
    let py = Py::new();
    let rec = Record::new_raw();
    unsafe {
        (*rec).label = c"label".as_ptr();
        let point_type = py.eval("Point");
        let record_type = py.eval("Record");
        let count = |o: &Obj| Py_REFCNT(o.as_ptr());
        let round = || {
            for i in 0..20_000u64 {
                let n = ok(to_py(i << 40));
                assert_eq!(ok(from_py::<u64>(n)), i << 40);
                drop(ok(str_to_py(c"some text".as_ptr(), Encoding::Utf8)));
                let r = ok(struct_ptr_to_py(cx(), rec as *const c_void, 1, false));
                for name in [c"origin", c"samples", c"label", c"color", c"pts", c"delta"] {
                    let v = Obj::from_owned(PyObject_GetAttrString(r.as_ptr(), name.as_ptr()));
                    drop(ok(v));
                }
                assert_eq!(
                    PyObject_SetAttrString(r.as_ptr(), c"name".as_ptr(), py.eval("'abc'").as_ptr()),
                    0
                );
                release_arg(r);
                let b = ok(buffer_to_py(cx(), rec as *mut c_void, 4, Kind::U8, false));
                release_arg(b);
                drop(ok(callback_to_py(cx(), host_log as *const c_void, 0)));
                let _ = err(from_py::<u8>(ok(to_py(300i32))));
            }
        };
        round();
        let (p0, r0, rss0) = (count(&point_type), count(&record_type), rss_kib());
        round();
        round();
        assert_eq!(count(&point_type), p0, "Point views leaked");
        assert_eq!(count(&record_type), r0, "Record views leaked");
        let grown = rss_kib().saturating_sub(rss0);
        assert!(grown < 2048, "RSS grew by {grown} KiB over 40k rounds");
        drop(Box::from_raw(rec));
    }
}
