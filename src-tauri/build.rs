fn main() {
    // The built UI is embedded in the binary by `generate_context!`: rebuild when it changes.
    println!("cargo:rerun-if-changed=ui/dist");
    tauri_build::build()
}
