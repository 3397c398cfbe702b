// Under the address: where the request goes with its variables filled (the engine resolves it, as
// it will when sending), or why it cannot go.
import type { TokenDestination } from "../api";
import { decodeSafely } from "./addresses";
import { variableNames } from "./UrlField";

interface Props {
  url: string;
  destination: TokenDestination | null;
  /** Why the address cannot be resolved (an unknown variable, a bad URL), if it cannot. */
  problem: string | null;
}

export function VariablePreview({ url, destination, problem }: Props) {
  const names = variableNames(url);
  if (problem) {
    return (
      <p class="url-preview bad-text" data-testid="url-preview">
        {problem}
      </p>
    );
  }
  if (!destination) return null;
  return (
    <p class="url-preview" data-testid="url-preview">
      <span class="subtle">{names.length > 0 ? "With the variables filled: " : "Sends to "}</span>
      <code class="resolved-url">{decodeSafely(destination.resolved_url)}</code>
      {destination.resolved_url.includes("%7Baccount-slug%7D") && <span class="subtle"> (the account slug comes from /v1/me once there is a token)</span>}
    </p>
  );
}
