//! Live reload: a small thread per plugin blocks on inotify for the script's
//! directory and raises a flag when a script is written, replaced, created,
//! deleted or has its mode or owner changed (or the folder has). Every
//! candidate name is watched (`libfoo.py` and `foo.py`): the reload then
//! loads whichever exists, the first name winning, as the first load does.
//! The per-call cost is one relaxed atomic load. The thread is a raw pthread
//! running only libc calls (no Rust thread-locals, which would pin the
//! library), and it is stopped and joined before the library is unmapped.
#![warn(clippy::undocumented_unsafe_blocks)]
use core::sync::atomic::{AtomicBool, Ordering};
use std::ffi::CString;
use std::path::PathBuf;

pub struct Watcher {
    thread: libc::pthread_t,
    /// Written to stop the thread.
    stop_fd: i32,
    /// Owned by the thread's argument; freed after join.
    arg: *mut Arg,
}

// SAFETY: the raw pointers are only touched by `stop` (under the plugin's lock).
unsafe impl Send for Watcher {}

struct Arg {
    inotify: i32,
    stop_fd: i32,
    names: Vec<CString>,
    flag: &'static AtomicBool,
}

/// Starts watching `scripts` (all in one folder); `flag` is set when any
/// of them changes.
pub fn start(scripts: &[PathBuf], flag: &'static AtomicBool) -> Option<Watcher> {
    let dir = CString::new(scripts.first()?.parent()?.as_os_str().as_encoded_bytes()).ok()?;
    let names = scripts
        .iter()
        .map(|s| CString::new(s.file_name()?.as_encoded_bytes()).ok())
        .collect::<Option<Vec<_>>>()?;
    // SAFETY: plain libc calls on descriptors made here; `arg` is handed to
    // the thread, or freed here when the thread could not start.
    unsafe {
        let inotify = libc::inotify_init1(libc::IN_CLOEXEC);
        if inotify < 0 {
            return None;
        }
        // IN_ATTRIB: a `chmod o-w` that fixes a refused script (or its
        // folder) reloads it.
        let mask = libc::IN_CLOSE_WRITE
            | libc::IN_MOVED_TO
            | libc::IN_CREATE
            | libc::IN_DELETE
            | libc::IN_ATTRIB;
        let stop_fd = libc::eventfd(0, libc::EFD_CLOEXEC);
        if libc::inotify_add_watch(inotify, dir.as_ptr(), mask) < 0 || stop_fd < 0 {
            libc::close(inotify);
            if stop_fd >= 0 {
                libc::close(stop_fd);
            }
            return None;
        }
        let arg = Box::into_raw(Box::new(Arg {
            inotify,
            stop_fd,
            names,
            flag,
        }));
        let mut thread: libc::pthread_t = 0;
        if libc::pthread_create(
            &mut thread,
            core::ptr::null(),
            run,
            arg as *mut libc::c_void,
        ) != 0
        {
            drop(Box::from_raw(arg));
            libc::close(inotify);
            libc::close(stop_fd);
            return None;
        }
        Some(Watcher {
            thread,
            stop_fd,
            arg,
        })
    }
}

impl Watcher {
    /// Stops and joins the thread, closes its descriptors.
    pub fn stop(self) {
        // SAFETY: the thread and descriptors are this watcher's; `arg` is
        // freed only after the thread that reads it is joined.
        unsafe {
            let one: u64 = 1;
            libc::write(self.stop_fd, &one as *const u64 as *const libc::c_void, 8);
            libc::pthread_join(self.thread, core::ptr::null_mut());
            let arg = Box::from_raw(self.arg);
            libc::close(arg.inotify);
            libc::close(arg.stop_fd);
        }
    }
}

extern "C" fn run(p: *mut libc::c_void) -> *mut libc::c_void {
    // SAFETY: `p` is the `Arg` `start` leaked for this thread; `stop` frees
    // it only after joining the thread.
    let arg = unsafe { &*(p as *const Arg) };
    let mut buf = [0u8; 4096];
    loop {
        let mut fds = [
            libc::pollfd {
                fd: arg.inotify,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: arg.stop_fd,
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: `fds` holds two `pollfd`s.
        if unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) } < 0 {
            continue; // EINTR
        }
        if fds[1].revents != 0 {
            return core::ptr::null_mut();
        }
        // SAFETY: reads at most `buf.len()` bytes into `buf`.
        let n = unsafe {
            libc::read(
                arg.inotify,
                buf.as_mut_ptr() as *mut libc::c_void,
                buf.len(),
            )
        };
        if n <= 0 {
            continue;
        }
        // Walk the variable-length inotify events for our file name.
        let mut off = 0usize;
        let header = core::mem::size_of::<libc::inotify_event>();
        while off + header <= n as usize {
            // SAFETY: `off + header <= n`: a whole event header lies in `buf`.
            let ev = unsafe {
                core::ptr::read_unaligned(buf.as_ptr().add(off) as *const libc::inotify_event)
            };
            let name = &buf[off + header..off + header + ev.len as usize];
            let name = name.split(|&b| b == 0).next().unwrap_or(&[]);
            // A nameless IN_ATTRIB is the folder's own mode or owner.
            let folder = name.is_empty() && ev.mask & libc::IN_ATTRIB != 0;
            if folder || arg.names.iter().any(|n| n.as_bytes() == name) {
                arg.flag.store(true, Ordering::Release);
            }
            off += header + ev.len as usize;
        }
    }
}
