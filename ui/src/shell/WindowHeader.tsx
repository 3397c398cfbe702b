// The window's header: the profile switcher, the Sign-in / Requests view switch, the profile's
// menu (rename, duplicate, export, support bundle, delete) and the app menu (new profile,
// imports, shortcuts, about). Each menu entry opens a dialog from ./dialogs or runs at once.
import type { ComponentChildren } from "preact";
import type { AppSnapshot, ProfileView } from "../api";
import { Menu, type MenuItem } from "../components/Menu";
import { describeEnvironment } from "../methods";
import { keysOf } from "../shortcuts";
import type { DialogRequest } from "./dialogs";

export type ViewName = "sign-in" | "requests";

interface Props {
  snapshot: AppSnapshot;
  view: ProfileView;
  current: ViewName;
  onView: (v: ViewName) => void;
  onSelectProfile: (id: string) => void;
  onDialog: (d: DialogRequest) => void;
  onDuplicate: () => void;
  onSaveBundle: () => void;
  onOpenBundle: () => void;
  onImportProfiles: () => void;
  onExportProfiles: () => void;
}

export function WindowHeader(props: Props) {
  const { snapshot, view, current } = props;
  const profile = view.profile;
  const isSandbox = profile.environment.kind === "built_in_sandbox";

  const profiles: MenuItem[] = snapshot.profiles.map((p) => ({
    label: p.profile.name,
    hint: describeEnvironment(p),
    checked: p.profile.id === profile.id,
    testId: `profile-${p.profile.id}`,
    onSelect: () => props.onSelectProfile(p.profile.id),
  }));
  profiles.push({ label: "New profile…", testId: "new-profile", onSelect: () => props.onDialog({ kind: "new-profile" }) });

  const profileActions: MenuItem[] = [
    { label: "Rename…", testId: "rename-profile", onSelect: () => props.onDialog({ kind: "rename" }) },
    { label: "Duplicate", testId: "duplicate-profile", onSelect: props.onDuplicate },
    { label: "Export Postman environment…", testId: "export-postman", onSelect: () => props.onDialog({ kind: "export-environment" }) },
    { label: "Save support bundle…", testId: "support-bundle", onSelect: props.onSaveBundle },
  ];
  if (!isSandbox) profileActions.push({ label: "Delete…", danger: true, testId: "delete-profile", onSelect: () => props.onDialog({ kind: "delete" }) });

  const appActions: MenuItem[] = [
    { label: "Import profiles…", testId: "import-profiles", onSelect: props.onImportProfiles },
    { label: "Export profiles…", testId: "export-profiles", onSelect: props.onExportProfiles },
    { label: "Import from Postman…", testId: "import-postman", onSelect: () => props.onDialog({ kind: "postman-import" }) },
    { label: "Open support bundle…", testId: "open-support-bundle", onSelect: props.onOpenBundle },
    { label: "Keyboard shortcuts", hint: keysOf("shortcuts"), testId: "show-shortcuts", onSelect: () => props.onDialog({ kind: "shortcuts" }) },
    { label: "About ScopeStack Companion", testId: "about", onSelect: () => props.onDialog({ kind: "about" }) },
  ];

  return (
    <header class="window-header">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true" />
        <span class="brand-name">ScopeStack Companion</span>
      </div>
      <Menu label="Profiles" spokenPrefix="Profile: " items={profiles} testId="profile-switcher" class="profile-switcher">
        <span class="switcher-name">{profile.name}</span>
        <span class="switcher-env">{describeEnvironment(view)}</span>
        <span class="caret" aria-hidden="true">▾</span>
      </Menu>
      <nav class="view-switch" aria-label="Views">
        <ViewButton name="sign-in" current={current} onView={props.onView}>
          Sign-in
        </ViewButton>
        <ViewButton name="requests" current={current} onView={props.onView}>
          Requests
        </ViewButton>
      </nav>
      <span class="header-spacer" />
      <Menu label="Profile actions" items={profileActions} testId="profile-menu">
        Profile actions <span aria-hidden="true">▾</span>
      </Menu>
      <Menu label="App menu" items={appActions} testId="app-menu">
        <span aria-hidden="true">☰</span> Menu
      </Menu>
    </header>
  );
}

function ViewButton({ name, current, onView, children }: { name: ViewName; current: ViewName; onView: (v: ViewName) => void; children: ComponentChildren }) {
  return (
    <button type="button" class={current === name ? "view-button chosen" : "view-button"} aria-current={current === name ? "page" : undefined} data-testid={`view-${name}`} onClick={() => onView(name)}>
      {children}
    </button>
  );
}
