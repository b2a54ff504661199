// DAPR006 suppression-without-reason: an inline suppression that does not say why.
import { component, redisMetadata } from './examples.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'DAPR006',
    name: 'suppression-without-reason',
    shortDescription: 'An inline suppression comment gives no reason.',
    fullDescription:
      'Reports a `# dapr-policy-disable-next-line` or `# dapr-policy-disable` comment with no reason after `--`. The suppression still applies. The rule also reports suppression comments that cannot work as written: no rule named, a rule id or name that does not exist, or an `until=` date that is not of the form YYYY-MM-DD (such a suppression does not apply: it fails closed).',
    levels: { default: 'warning' },
    securitySeverity: 0,
    tags: ['maintainability', 'suppressions'],
    precision: 'very-high',
    docs: {
      why: 'A suppression is a decision to accept a risk. Without a reason, the next reviewer cannot tell an accepted risk from a silenced alarm, and the suppression outlives the situation that justified it. Peers make reasons optional; in a security linter they should not be.',
      fix: 'Write why after `--`, and consider an expiry: `# dapr-policy-disable-next-line DAPR101 until=2027-01-31 -- shared by every app until the split (TICKET-42)`.',
      incorrect: [
        {
          files: { 'components/statestore.yaml': '# dapr-policy-disable DAPR101\n' + component('statestore', 'state.redis', { metadata: redisMetadata() }) },
        },
      ],
      correct: [
        {
          files: { 'components/statestore.yaml': '# dapr-policy-disable DAPR101 until=2099-01-31 -- every app reads it until the split (TICKET-42)\n' + component('statestore', 'state.redis', { metadata: redisMetadata() }) },
        },
      ],
      notes: [
        'Forms: `# dapr-policy-disable-next-line <ids> [until=YYYY-MM-DD] -- <reason>` covers the next line that is not blank or a comment; `# dapr-policy-disable <ids> [until=YYYY-MM-DD] -- <reason>` covers the whole YAML document it is in. `<ids>` is a comma-separated list of rule ids or names.',
        'A next-line suppression covers only the line the finding points at: findings about a whole resource (DAPR101, DAPR104, …) point at its `metadata.name` value, so put the comment just above `name:`, or use the document form above `apiVersion:`.',
        'An expired suppression stops suppressing, and the finding\'s message says so.',
      ],
    },
  },
  check({ model, report, knownRules }) {
    for (const s of model.suppressions) {
      const at = { file: s.file, region: s.region };
      const base = { at, environment: model.environmentOfFile(s.file), resourceKey: s.file, path: `suppression@${s.region.startLine}` };
      const unknown = s.rules.filter((r) => !knownRules.has(r));
      const problems = [...s.problems, ...(unknown.length ? [`${unknown.map((r) => `"${r}"`).join(', ')} ${unknown.length > 1 ? 'are not rules' : 'is not a rule'}, so nothing is suppressed for ${unknown.length > 1 ? 'them' : 'it'}`] : [])];
      if (!s.reason) report({ ...base, message: 'Suppression comment gives no reason after "--". It still suppresses; say why so reviewers can judge the accepted risk.' });
      for (const p of problems) report({ ...base, message: `Suppression comment cannot work as written: ${p}.`, path: `${base.path}:${p}` });
    }
  },
};
