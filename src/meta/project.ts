// Facts about this tool that outputs repeat: its name, version and where its docs live.
import pkg from '../../package.json' with { type: 'json' };

export const TOOL_NAME = 'dapr-policy';
export const TOOL_VERSION: string = pkg.version;
export const REPOSITORY_URL = 'https://github.com/dapr-policy/dapr-policy';
export const INFORMATION_URI = `${REPOSITORY_URL}#readme`;

export function ruleHelpUri(id: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${id}.md`;
}
