//! Turns a panic inside a guarded call into an error value, so that a
//! library that trusts its input files (tantivy panics on some damaged index
//! files) can never take the program down.
//!
//! Boundary: this module only catches and reports; what a caught panic means
//! (a damaged index to rebuild, an answer to decline) is the caller's call.
//! Panics outside a guarded call still reach the previous panic hook and
//! print as usual; inside one, the hook stays quiet and the message is handed
//! back to the caller, which logs one clean warning instead.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// How many guarded calls are running on this thread.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// What the last caught panic said, and where.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Runs `f`; a panic inside it comes back as `Err` with the panic's message
/// and location ("assertion failed: end >= start (…/file_slice.rs:175)")
/// instead of unwinding further.
pub fn guard<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    DEPTH.with(|d| d.set(d.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get() - 1));
    result.map_err(|_| {
        LAST.with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| "unexpected failure".to_string())
    })
}

/// Wraps the current panic hook once: quiet (the message is kept for
/// [`guard`]) inside a guarded call, unchanged outside.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if DEPTH.with(Cell::get) > 0 {
                let payload = info.payload();
                let what = payload
                    .downcast_ref::<&str>()
                    .copied()
                    .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                    .unwrap_or("unexpected failure");
                let message = match info.location() {
                    Some(at) => format!("{what} ({}:{})", at.file(), at.line()),
                    None => what.to_string(),
                };
                LAST.with(|l| *l.borrow_mut() = Some(message.replace('\n', " ")));
            } else {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_its_message() {
        assert_eq!(guard(|| 4), Ok(4));
        let v: Vec<u8> = Vec::new();
        let index = v.len() + 3;
        let err = guard(|| v[index]).unwrap_err();
        assert!(err.contains("index out of bounds"), "{err}");
        assert!(err.contains("guard.rs"), "{err}");
        assert!(!err.contains("panicked"), "a clean message: {err}");
        // Nested guards and later calls still work.
        let inner = guard(|| guard(|| panic!("inner")).unwrap_err()).unwrap();
        assert!(inner.contains("inner"), "{inner}");
    }
}
