//! The state of the widget every page view runs, without Leptos's reactive system: that system (signals, effects,
//! owners) is in the chat's modules only, so the download every page view pays does not carry it.
//!
//! - [`Watched`] is a value whose changes are watched: [`Watched::watch`] runs a watcher after each change, once per
//!   round of changes, on a microtask, as a Leptos effect would (the code that changed it, and the calls a page
//!   queued before the widget loaded, finish first). The chat's views read the same values as signals: the chat
//!   bridges each one to a Leptos trigger ([`Watched::bridge`], `chat.rs`), which reading tracks and a change
//!   notifies.
//! - [`Stored`] is a value nobody watches.
//!
//! Both live as long as the page (the widget is never unmounted, only removed by `Baton('shutdown')`), kept in a
//! list of this thread's; a handle is the value's place in it, `Copy`, `Send` and `Sync` like the Leptos handles it
//! replaces (the chat's signals, memos and callbacks may hold it; the widget has one thread).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;

/// A watched value; see the module.
pub struct Watched<T: 'static> {
    at: usize,
    value: PhantomData<fn() -> T>,
}

struct WatchedValue<T> {
    value: RefCell<T>,
    hooks: Hooks,
}

/// Who is told about a watched value, whatever its type (so that telling them is one function, not one per type).
#[derive(Default)]
struct Hooks {
    watchers: RefCell<Vec<Watcher>>,
    bridge: RefCell<Option<Bridge>>,
}

impl Hooks {
    fn track(&self) {
        if let Some(bridge) = self.bridge.borrow().as_ref() {
            (bridge.track)();
        }
    }

    fn changed(&self) {
        if let Some(bridge) = self.bridge.borrow().as_ref() {
            (bridge.notify)();
        }
        for watcher in self.watchers.borrow().iter() {
            soon(watcher);
        }
    }
}

/// Something to run after a change, shared by every value it watches (so that a round runs it once).
pub type Watcher = Rc<dyn Fn()>;

/// How the chat's Leptos views see a value: `track` when it is read, `notify` when it changed.
pub struct Bridge {
    pub track: Box<dyn Fn()>,
    pub notify: Box<dyn Fn()>,
}

impl<T> Clone for Watched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Watched<T> {}

impl<T> std::fmt::Debug for Watched<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Watched({})", self.at)
    }
}

impl<T: 'static> Watched<T> {
    pub fn new(value: T) -> Watched<T> {
        Watched {
            at: keep(WatchedValue {
                value: RefCell::new(value),
                hooks: Hooks::default(),
            }),
            value: PhantomData,
        }
    }

    fn kept(self) -> &'static WatchedValue<T> {
        kept(self.at)
    }

    /// Reads the value (tracked by the chat's views).
    pub fn with<R>(self, read: impl FnOnce(&T) -> R) -> R {
        self.track();
        self.with_untracked(read)
    }

    /// Reads the value without a Leptos view tracking it.
    pub fn with_untracked<R>(self, read: impl FnOnce(&T) -> R) -> R {
        read(&self.kept().value.borrow())
    }

    /// Tells the Leptos view reading it, if any, that it depends on this value.
    pub fn track(self) {
        self.kept().hooks.track();
    }

    pub fn set(self, value: T) {
        *self.kept().value.borrow_mut() = value;
        self.changed();
    }

    /// Changes the value in place; gives what `change` gave.
    pub fn update<R>(self, change: impl FnOnce(&mut T) -> R) -> R {
        let outcome = change(&mut self.kept().value.borrow_mut());
        self.changed();
        outcome
    }

    /// Runs `watcher` after every change from now on (it is not run now).
    pub fn watch(self, watcher: &Watcher) {
        self.kept()
            .hooks
            .watchers
            .borrow_mut()
            .push(Rc::clone(watcher));
    }

    /// Lets the chat's views track this value (once; later bridges are ignored). Gives whether it was bridged now.
    pub fn bridge(self, bridge: impl FnOnce() -> Bridge) -> bool {
        let mut current = self.kept().hooks.bridge.borrow_mut();
        if current.is_some() {
            return false;
        }
        *current = Some(bridge());
        true
    }

    fn changed(self) {
        self.kept().hooks.changed();
    }
}

impl<T: Clone + 'static> Watched<T> {
    pub fn get(self) -> T {
        self.with(T::clone)
    }

    pub fn get_untracked(self) -> T {
        self.with_untracked(T::clone)
    }
}

thread_local! {
    /// Every watched and stored value, for the page's life.
    static KEPT: RefCell<Vec<&'static dyn Any>> = const { RefCell::new(Vec::new()) };
    /// The watchers to run in the next round, each once, in the order their first change came.
    static DUE: RefCell<Vec<Watcher>> = const { RefCell::new(Vec::new()) };
    static ROUND_SET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `watcher` in the next round (on a microtask), unless it already is to.
pub fn soon(watcher: &Watcher) {
    DUE.with_borrow_mut(|due| {
        if !due.iter().any(|known| Rc::ptr_eq(known, watcher)) {
            due.push(Rc::clone(watcher));
        }
    });
    if !ROUND_SET.replace(true) {
        crate::tasks::spawn_local(async {
            ROUND_SET.set(false);
            let due = DUE.take();
            for watcher in due {
                watcher();
            }
        });
    }
}

/// A value nobody watches, for the page's life.
pub struct Stored<T: 'static> {
    at: usize,
    value: PhantomData<fn() -> T>,
}

impl<T> Clone for Stored<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Stored<T> {}

impl<T: 'static> Stored<T> {
    pub fn new(value: T) -> Stored<T> {
        Stored {
            at: keep(RefCell::new(value)),
            value: PhantomData,
        }
    }

    fn kept(self) -> &'static RefCell<T> {
        kept(self.at)
    }

    pub fn with_value<R>(self, read: impl FnOnce(&T) -> R) -> R {
        read(&self.kept().borrow())
    }

    pub fn set_value(self, value: T) {
        *self.kept().borrow_mut() = value;
    }

    pub fn update_value<R>(self, change: impl FnOnce(&mut T) -> R) -> R {
        change(&mut self.kept().borrow_mut())
    }
}

impl<T: Clone + 'static> Stored<T> {
    pub fn get_value(self) -> T {
        self.with_value(T::clone)
    }
}

/// Keeps `value` for the page's life; gives its place.
fn keep<V: 'static>(value: V) -> usize {
    keep_any(Box::leak(Box::new(value)))
}

/// The part of [`keep`] that is the same for every type, in one copy rather than one per type (the same for
/// [`kept_any`]: each copy is download).
#[inline(never)]
fn keep_any(value: &'static dyn Any) -> usize {
    KEPT.with_borrow_mut(|kept| {
        kept.push(value);
        kept.len() - 1
    })
}

/// The value kept at `at`, of the type its handle says.
fn kept<V: 'static>(at: usize) -> &'static V {
    kept_any(at)
        .downcast_ref()
        .expect("a handle reads the type it was made with")
}

#[inline(never)]
fn kept_any(at: usize) -> &'static dyn Any {
    KEPT.with_borrow(|kept| kept[at])
}
