//! Running the widget's futures on the page: [`spawn_local`] boxes each one before handing it to
//! wasm-bindgen-futures, so its task code is in the download once instead of once for every future's type (about
//! 250 bytes of code each, for some twenty places that start one).

use std::future::Future;
use std::pin::Pin;

/// Runs `future` on the page's event loop, as `wasm_bindgen_futures::spawn_local` does.
pub fn spawn_local(future: impl Future<Output = ()> + 'static) {
    let boxed: Pin<Box<dyn Future<Output = ()>>> = Box::pin(future);
    wasm_bindgen_futures::spawn_local(boxed);
}
