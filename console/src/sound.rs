//! The new-chat sound, when the agent turned it on.

/// A short tone for a new conversation in the queue (when the agent turned sound on).
pub fn beep() {
    let Ok(context) = web_sys::AudioContext::new() else {
        return;
    };
    let (Ok(oscillator), Ok(gain)) = (context.create_oscillator(), context.create_gain()) else {
        return;
    };
    oscillator.frequency().set_value(880.0);
    gain.gain().set_value(0.1);
    let _ = oscillator.connect_with_audio_node(&gain);
    let _ = gain.connect_with_audio_node(&context.destination());
    let _ = oscillator.start();
    let _ = oscillator.stop_with_when(context.current_time() + 0.15);
}
