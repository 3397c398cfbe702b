//! A minimal X11 clipboard manager for end-to-end tests, behaving like the ones desktops run
//! (GNOME's, Xfce's): a program that owns the clipboard and is about to exit asks the manager to
//! keep what it holds (the `CLIPBOARD_MANAGER` selection, target `SAVE_TARGETS`, of the
//! freedesktop ClipboardManager specification); the manager copies the text and serves it from
//! then on, so it outlives the program. Prints `ready` once it is the manager; runs until killed.

use std::error::Error;
use std::io::Write as _;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    Atom, AtomEnum, ConnectionExt as _, CreateWindowAux, EventMask, PropMode, SelectionNotifyEvent,
    SelectionRequestEvent, WindowClass, SELECTION_NOTIFY_EVENT,
};
use x11rb::protocol::Event;
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;
use x11rb::{COPY_DEPTH_FROM_PARENT, COPY_FROM_PARENT, CURRENT_TIME, NONE};

fn main() {
    if let Err(e) = run() {
        eprintln!("clipboard-manager: {e}");
        std::process::exit(1);
    }
}

/// Tells `request`'s requestor that the conversion is done (`property`) or refused (`NONE`).
fn answer(
    conn: &RustConnection,
    request: &SelectionRequestEvent,
    property: Atom,
) -> Result<(), Box<dyn Error>> {
    let event = SelectionNotifyEvent {
        response_type: SELECTION_NOTIFY_EVENT,
        sequence: 0,
        time: request.time,
        requestor: request.requestor,
        selection: request.selection,
        target: request.target,
        property,
    };
    conn.send_event(false, request.requestor, EventMask::NO_EVENT, event)?;
    Ok(())
}

fn run() -> Result<(), Box<dyn Error>> {
    let (conn, screen) = RustConnection::connect(None)?;
    let root = conn.setup().roots[screen].root;
    let window = conn.generate_id()?;
    conn.create_window(
        COPY_DEPTH_FROM_PARENT,
        window,
        root,
        0,
        0,
        1,
        1,
        0,
        WindowClass::INPUT_ONLY,
        COPY_FROM_PARENT,
        &CreateWindowAux::new(),
    )?;
    let atom = |name: &str| -> Result<Atom, Box<dyn Error>> {
        Ok(conn.intern_atom(false, name.as_bytes())?.reply()?.atom)
    };
    let (manager, clipboard, save_targets, targets, utf8, kept) = (
        atom("CLIPBOARD_MANAGER")?,
        atom("CLIPBOARD")?,
        atom("SAVE_TARGETS")?,
        atom("TARGETS")?,
        atom("UTF8_STRING")?,
        atom("E2E_KEPT")?,
    );
    conn.set_selection_owner(window, manager, CURRENT_TIME)?;
    if conn.get_selection_owner(manager)?.reply()?.owner != window {
        return Err("another clipboard manager is running".into());
    }
    println!("ready");
    std::io::stdout().flush()?;

    let mut text: Option<Vec<u8>> = None;
    let mut saving: Option<SelectionRequestEvent> = None;
    loop {
        match conn.wait_for_event()? {
            // A program about to exit asks to keep its clipboard: fetch the text.
            Event::SelectionRequest(request) if request.selection == manager => {
                if request.target == save_targets {
                    conn.convert_selection(window, clipboard, utf8, kept, CURRENT_TIME)?;
                    saving = Some(request);
                } else {
                    answer(&conn, &request, NONE)?;
                }
            }
            // The text arrived (or not): keep and serve it, then tell the program it may go.
            Event::SelectionNotify(notified) if notified.selection == clipboard => {
                if notified.property != NONE {
                    let value = conn
                        .get_property(true, window, kept, AtomEnum::ANY, 0, u32::MAX / 4)?
                        .reply()?
                        .value;
                    println!("kept {} bytes", value.len());
                    std::io::stdout().flush()?;
                    text = Some(value);
                    conn.set_selection_owner(window, clipboard, CURRENT_TIME)?;
                }
                if let Some(request) = saving.take() {
                    answer(&conn, &request, request.property)?;
                }
            }
            Event::SelectionRequest(request) if request.selection == clipboard => {
                let property =
                    if request.property == NONE { request.target } else { request.property };
                match &text {
                    Some(value)
                        if request.target == utf8
                            || request.target == Atom::from(AtomEnum::STRING) =>
                    {
                        conn.change_property8(
                            PropMode::REPLACE,
                            request.requestor,
                            property,
                            request.target,
                            value,
                        )?;
                        answer(&conn, &request, property)?;
                    }
                    Some(_) if request.target == targets => {
                        conn.change_property32(
                            PropMode::REPLACE,
                            request.requestor,
                            property,
                            AtomEnum::ATOM,
                            &[targets, utf8, AtomEnum::STRING.into()],
                        )?;
                        answer(&conn, &request, property)?;
                    }
                    _ => answer(&conn, &request, NONE)?,
                }
            }
            // Something else was copied since: it is no longer this manager's to serve.
            Event::SelectionClear(cleared) if cleared.selection == clipboard => text = None,
            _ => {}
        }
        conn.flush()?;
    }
}
