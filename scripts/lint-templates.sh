#!/usr/bin/env bash
# Lints synthesized CloudFormation templates with independent tools nobody here
# wrote. Installs nothing: CI installs requirements-ci.txt into a venv first.
#
#   python3 -m venv .venv-lint && .venv-lint/bin/pip install -r requirements-ci.txt
#   scripts/lint-templates.sh [--venv .venv-lint] <template.json | cdk.out dir>...
#   scripts/lint-templates.sh [--venv .venv-lint] --self-test
#     (each linter must reject test/fixtures/lint/known-bad.template.json)
# Without --venv (or $LINT_VENV) the tools are taken from PATH.
#
# What runs, per template:
#   1. cfn-lint: fails on any error or warning (informational findings are printed).
#   2. checkov -f (CloudFormation, offline): fails on any failed check; skips
#      live in .checkov.yaml, each with its reason.
#   3. parliament on the publisher's IAM documents, found as the roles whose
#      trust policy names an oidc-provider:
#      - the push policy (inline "EcrPush", and any other inline policy of that
#        role, or the managed policy that names the role), with CloudFormation intrinsics replaced by concrete ARNs so
#        parliament can match actions to resource types;
#      - the trust policy. parliament models identity policies, so the
#        statement gets the role's ARN as Resource, and parliament's database
#        predates web-identity providers other than Cognito, Amazon, Facebook
#        and Google. Exactly these findings are therefore acknowledged, each
#        narrowly (anything else fails):
#          UNKNOWN_FEDERATION_SOURCE  for the oidc-provider ARN of a GitHub issuer;
#          UNKNOWN_CONDITION_FOR_ACTION for the keys STS evaluates for GitHub
#            tokens: <issuer>:aud, :sub, :repository, :repository_id,
#            :job_workflow_ref; any other key still fails;
#          CREDENTIALS_EXPOSURE (community auditor) for
#            sts:AssumeRoleWithWebIdentity and ecr:GetAuthorizationToken: issuing
#            short-lived credentials and a registry login token is the purpose;
#          UNKNOWN_ACTION for ecr:DescribeImageSigningStatus only: parliament's
#            database predates ECR managed signing (2025-11).
# Stacks of @aws-cdk/integ-tests-alpha assertions (file names matching
# --skip-file, default "DeployAssert") are test scaffolding, never shipped, and
# are skipped with a note. Test-only resources inside a stack under test (e.g.
# an AwsCustomResource that cleans up after an integ test) can be removed before
# linting with --exclude-resource <logical-id prefix> (repeatable); every removed
# resource is printed, and a dangling reference to one makes cfn-lint fail.
set -euo pipefail

venv="${LINT_VENV:-}"
self_test=0
skip_file='DeployAssert'
excludes=()
inputs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --venv) venv="$2"; shift 2 ;;
    --venv=*) venv="${1#--venv=}"; shift ;;
    --self-test) self_test=1; shift ;;
    --skip-file) skip_file="$2"; shift 2 ;;
    --exclude-resource) excludes+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) inputs+=("$1"); shift ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
bin() {
  if [[ -n "$venv" ]]; then
    [[ -x "$venv/bin/$1" ]] || { echo "lint-templates: $venv/bin/$1 not found; install requirements-ci.txt into $venv" >&2; exit 2; }
    echo "$venv/bin/$1"
  else
    command -v "$1" >/dev/null || { echo "lint-templates: $1 not on PATH; pass --venv DIR or install requirements-ci.txt" >&2; exit 2; }
    command -v "$1"
  fi
}
CFN_LINT="$(bin cfn-lint)"
CHECKOV="$(bin checkov)"
PARLIAMENT="$(bin parliament)"
# parliament's Python API (for structured findings) runs in the interpreter it is installed in.
PYTHON="$(head -1 "$PARLIAMENT" | sed -n 's/^#!//p')"
[[ -x "$PYTHON" ]] || PYTHON="$(bin python3)"

templates=()
for input in "${inputs[@]+"${inputs[@]}"}"; do
  if [[ -d "$input" ]]; then
    while IFS= read -r f; do templates+=("$f"); done < <(find "$input" -maxdepth 2 -name '*.template.json' | sort)
  elif [[ -f "$input" ]]; then
    templates+=("$input")
  else
    echo "lint-templates: no such template or directory: $input" >&2
    exit 2
  fi
done
linted=()
for t in "${templates[@]+"${templates[@]}"}"; do
  if [[ "$(basename "$t")" =~ $skip_file ]]; then
    echo "skip  $t (matches --skip-file '$skip_file': test scaffolding, not shipped)"
  else
    linted+=("$t")
  fi
done
if [[ ${#linted[@]} -eq 0 && "$self_test" == 0 ]]; then
  echo "lint-templates: no templates given" >&2
  exit 2
fi
[[ "$self_test" == 1 ]] || echo "lint-templates: ${#linted[@]} template(s)"

if [[ ${#excludes[@]} -gt 0 && ${#linted[@]} -gt 0 ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # Copies without the excluded resources; the copies keep their relative paths.
  mapfile -t linted < <("$PYTHON" - "$work" "${excludes[*]}" "${linted[@]}" <<'PY'
import json, os, sys
work, prefixes, files = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
for i, path in enumerate(files):
    template = json.load(open(path))
    resources = template.get('Resources', {})
    for logical_id in [k for k in resources if any(k.startswith(p) for p in prefixes)]:
        print(f'exclude {path}: {logical_id} ({resources.pop(logical_id)["Type"]})', file=sys.stderr)
    out = os.path.join(work, str(i), os.path.basename(path))
    os.makedirs(os.path.dirname(out))
    json.dump(template, open(out, 'w'), indent=1)
    print(out)
PY
  )
fi

run_cfn_lint() {
  echo "== cfn-lint $("$CFN_LINT" --version 2>&1 | awk '{print $NF}')"
  "$CFN_LINT" --non-zero-exit-code warning -- "$@"
}

run_checkov() {
  echo "== checkov $("$CHECKOV" --version 2>/dev/null)"
  local args=() t
  for t in "$@"; do args+=(-f "$t"); done
  "$CHECKOV" --config-file "$root/.checkov.yaml" "${args[@]}"
}

run_parliament() {
  echo "== parliament $("$PARLIAMENT" --version 2>/dev/null | awk '{print $NF}')"
  "$PYTHON" - "$@" <<'PY'
import json, re, sys
from parliament import analyze_policy_string

# Placeholder values for deploy-time references, so ARNs have their real shape.
PSEUDO = {'AWS::Partition': 'aws', 'AWS::AccountId': '111111111111', 'AWS::Region': 'us-east-1', 'AWS::URLSuffix': 'amazonaws.com'}
EVALUATED = {'aud', 'sub', 'repository', 'repository_id', 'job_workflow_ref'}
CREDENTIAL_ACTIONS = {'sts:assumerolewithwebidentity', 'ecr:getauthorizationtoken'}

def resolver(resources):
    def arn_of(logical_id):
        res = resources.get(logical_id, {})
        props = res.get('Properties', {})
        if res.get('Type') == 'AWS::ECR::Repository':
            name = props.get('RepositoryName')
            name = name if isinstance(name, str) else logical_id.lower()
            return f'arn:aws:ecr:us-east-1:111111111111:repository/{name}'
        if res.get('Type') == 'AWS::KMS::Key':
            return 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000'
        if res.get('Type') == 'AWS::Signer::SigningProfile':
            return 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/ImageSigning'
        if res.get('Type') == 'AWS::IAM::OIDCProvider':
            return 'arn:aws:iam::111111111111:oidc-provider/' + str(props.get('Url', 'token.actions.githubusercontent.com')).replace('https://', '')
        return f'arn:aws:iam::111111111111:role/{logical_id}'
    def resolve(v):
        if isinstance(v, list):
            return [resolve(x) for x in v]
        if isinstance(v, dict):
            if list(v) == ['Ref']:
                return PSEUDO.get(v['Ref']) or arn_of(v['Ref'])
            if list(v) == ['Fn::GetAtt']:
                return arn_of(v['Fn::GetAtt'][0])
            if list(v) == ['Fn::Join']:
                sep, parts = v['Fn::Join']
                return sep.join(str(resolve(p)) for p in parts)
            if list(v) == ['Fn::ImportValue']:
                # Exports are the provider's or (signing) the signing profile's ARN.
                if 'SigningProfile' in json.dumps(v['Fn::ImportValue']):
                    return 'arn:aws:signer:us-east-1:111111111111:/signing-profiles/ImageSigning'
                return 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com'
            return {k: resolve(x) for k, x in v.items()}
        return v
    return resolve

def acknowledged(finding, issuer):
    detail = str(finding.detail or '')
    if finding.issue == 'UNKNOWN_FEDERATION_SOURCE':
        return issuer is not None and re.fullmatch(r'arn:aws[-a-z]*:iam::\d{12}:oidc-provider/' + re.escape(issuer), detail) is not None
    if finding.issue == 'UNKNOWN_CONDITION_FOR_ACTION':
        m = re.fullmatch(r'Unknown condition (\S+) for action sts:AssumeRoleWithWebIdentity', detail)
        return issuer is not None and m is not None and m.group(1).startswith(issuer + ':') and m.group(1)[len(issuer) + 1:] in EVALUATED
    if finding.issue == 'UNKNOWN_ACTION':
        return detail == 'Unknown action ecr:DescribeImageSigningStatus'
    if finding.issue == 'CREDENTIALS_EXPOSURE':
        actions = {a.lower() for a in (finding.location or {}).get('actions', [])}
        return bool(actions) and actions <= CREDENTIAL_ACTIONS
    return False

failed = 0
checked = 0
for path in sys.argv[1:]:
    template = json.load(open(path))
    resources = template.get('Resources', {})
    resolve = resolver(resources)
    for logical_id, res in resources.items():
        if res.get('Type') != 'AWS::IAM::Role':
            continue
        props = res.get('Properties', {})
        trust = resolve(props.get('AssumeRolePolicyDocument', {}))
        federated = [s.get('Principal', {}).get('Federated') for s in trust.get('Statement', []) if isinstance(s.get('Principal'), dict)]
        m = next((re.search(r':oidc-provider/(.+)$', f) for f in federated if isinstance(f, str) and ':oidc-provider/' in f), None)
        if m is None:
            continue  # not a publisher role
        issuer = m.group(1)
        docs = [('trust', dict(trust, Statement=[dict(s, Resource=f'arn:aws:iam::111111111111:role/{logical_id}') for s in trust['Statement']]))]
        docs += [(f"inline {p.get('PolicyName')}", resolve(p['PolicyDocument'])) for p in props.get('Policies', [])]
        # A managed push policy (pushPolicy: MANAGED) names the role in its Roles.
        docs += [(f'managed {mid}', resolve(mp['Properties']['PolicyDocument'])) for mid, mp in resources.items()
                 if mp.get('Type') == 'AWS::IAM::ManagedPolicy' and {'Ref': logical_id} in mp.get('Properties', {}).get('Roles', [])]
        for label, doc in docs:
            checked += 1
            findings = analyze_policy_string(json.dumps(doc), include_community_auditors=True).findings
            open_findings = [f for f in findings if not acknowledged(f, issuer)]
            for f in open_findings:
                print(f'  {path}: {logical_id} {label}: {f.issue} {f.detail or ""} {f.location}')
            print(f'{"FAIL" if open_findings else "ok  "}  {path}: {logical_id} {label}: {len(open_findings)} finding(s), {len(findings) - len(open_findings)} acknowledged')
            failed += bool(open_findings)
if checked == 0:
    print('parliament: no publisher role found in the templates')
    sys.exit(1)
print(f'parliament: {checked} document(s), {failed} with findings')
sys.exit(1 if failed else 0)
PY
}

if [[ "$self_test" == 1 ]]; then
  # Each linter must fail on a template with one known mistake per tool, so a
  # linter that silently checks nothing cannot pass CI.
  bad="$root/test/fixtures/lint/known-bad.template.json"
  for tool in cfn_lint checkov parliament; do
    if "run_$tool" "$bad" >/dev/null 2>&1; then
      echo "self-test: $tool passed $bad, which it must reject" >&2
      exit 1
    fi
    echo "self-test: $tool rejects $bad"
  done
  exit 0
fi

status=0
if run_cfn_lint "${linted[@]}"; then echo "cfn-lint: 0 errors, 0 warnings"; else echo "cfn-lint: FAILED"; status=1; fi
if run_checkov "${linted[@]}"; then echo "checkov: 0 failed checks"; else echo "checkov: FAILED"; status=1; fi
if run_parliament "${linted[@]}"; then echo "parliament: no open findings"; else echo "parliament: FAILED"; status=1; fi
exit $status
