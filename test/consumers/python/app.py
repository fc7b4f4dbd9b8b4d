# SPDX-License-Identifier: Apache-2.0
"""Python consumer of the jsii-built wheel.

Builds the guide's production setup the way a Python CDK user writes it,
synthesizes it, checks the template through aws_cdk.assertions (so the checks
themselves cross the jsii boundary), and writes the template for
test/consumers/compare.js.

Usage: python app.py <outdir>   (run by scripts/ci/consumers.sh in a fresh venv)
"""
import json
import os
import sys

from aws_cdk import App, Duration, Environment, RemovalPolicy, Stack
from aws_cdk.assertions import Match, Template

from cdk_github_ecr_publisher import (
    GitHubEcrPublisher,
    GitHubIssuer,
    ImageSigning,
    OidcProviderSource,
    WorkflowValueSource,
)

ISSUER = "token.actions.githubusercontent.com"
PUSH_ACTIONS = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
]
CONTEXTS = ["ref:refs/heads/main", "ref:refs/tags/v*", "environment:production"]
SUBJECTS = [f"repo:octo-org/chatgpt-web:{c}" for c in CONTEXTS] + [
    f"repo:octo-org@*/chatgpt-web@*:{c}" for c in CONTEXTS
]

passed = 0
failed = 0


def check(name, fn):
    """Runs one assertion; a failure is reported and counted, the others still run."""
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"  ok   {name}")
    except Exception as e:  # noqa: BLE001 - jsii surfaces JS errors as RuntimeError
        failed += 1
        print(f"  FAIL {name}: {e}")


def expect_equal(actual, expected):
    if actual != expected:
        raise AssertionError(f"expected {expected!r}, got {actual!r}")


def main(outdir):
    # GIVEN the guide's production setup, written as a Python user would
    app = App(outdir=os.path.join(outdir, "cdk.out.python"))
    stack = Stack(
        app,
        "ChatgptWebProd",
        env=Environment(account="123456789012", region="us-west-2"),
    )
    publisher = GitHubEcrPublisher(
        stack,
        "ChatgptWeb",
        repo="octo-org/chatgpt-web",
        branches=["main"],
        tags=["v*"],
        environments=["production"],
        issuer=GitHubIssuer.GITHUB_COM,
        provider_source=OidcProviderSource.create(removal_policy=RemovalPolicy.RETAIN),
        repository_name="chatgpt-web-prod",
        max_image_count=20,
        untagged_image_expiry=Duration.days(7),
    )

    # WHEN it is synthesized and its workflow rendered (the YAML library bundled
    # in the package runs inside the jsii kernel)
    workflow = publisher.render_workflow(
        workflow_name="Publish chatgpt-web",
        value_source=WorkflowValueSource.VARIABLES,
        workflow_dispatch=True,
        platforms=["linux/amd64", "linux/arm64"],
    )
    template = Template.from_stack(stack)
    raw = app.synth().get_stack_by_name(stack.stack_name).template

    # THEN the trust policy, push permissions, lifecycle and outputs are the guide's
    print("python consumer:")
    check("attributes cross the jsii boundary", lambda: (
        expect_equal(publisher.github_repository, "octo-org/chatgpt-web"),
        expect_equal(publisher.audience, "sts.amazonaws.com"),
        expect_equal(publisher.issuer.url, f"https://{ISSUER}"),
        expect_equal(publisher.issuer.condition_key("sub"), f"{ISSUER}:sub"),
        expect_equal(publisher.allow_pull_requests, False),
        expect_equal(sorted(publisher.subject_claims), sorted(SUBJECTS)),
    ))
    check("trust policy: aud, repository pin and both subject forms", lambda: template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Effect": "Allow",
                        "Principal": {"Federated": {"Ref": Match.string_like_regexp("^GitHubOidcProvider")}},
                        "Condition": {
                            "StringEquals": {
                                f"{ISSUER}:aud": "sts.amazonaws.com",
                                f"{ISSUER}:repository": "octo-org/chatgpt-web",
                            },
                            # 'v*' is a wildcard, so every subject is under StringLike
                            "StringLike": {f"{ISSUER}:sub": Match.array_equals(SUBJECTS)},
                        },
                    }
                ]
            }
        },
    ))
    check("push policy: login on * and 7 actions on this repository only", lambda: template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "Policies": [
                {
                    "PolicyName": "EcrPush",
                    "PolicyDocument": {
                        "Statement": [
                            {"Action": "ecr:GetAuthorizationToken", "Resource": "*", "Effect": "Allow"},
                            {
                                "Action": PUSH_ACTIONS,
                                "Effect": "Allow",
                                "Resource": {"Fn::GetAtt": [Match.string_like_regexp("^ChatgptWebRepository"), "Arn"]},
                            },
                        ]
                    },
                }
            ]
        },
    ))
    check("provider: native, sts audience, retained", lambda: template.has_resource(
        "AWS::IAM::OIDCProvider",
        {
            "Properties": {"Url": f"https://{ISSUER}", "ClientIdList": ["sts.amazonaws.com"]},
            "DeletionPolicy": "Retain",
        },
    ))
    check("repository: name, scan on push, release tags immutable, retained", lambda: template.has_resource(
        "AWS::ECR::Repository",
        {
            "Properties": Match.object_like({
                "RepositoryName": "chatgpt-web-prod",
                "ImageScanningConfiguration": {"ScanOnPush": True},
                "ImageTagMutability": "MUTABLE_WITH_EXCLUSION",
                "ImageTagMutabilityExclusionFilters": [
                    {"ImageTagMutabilityExclusionFilterType": "WILDCARD", "ImageTagMutabilityExclusionFilterValue": "v*"}
                ],
            }),
            "DeletionPolicy": "Retain",
        },
    ))

    def lifecycle():
        repos = template.find_resources("AWS::ECR::Repository")
        expect_equal(len(repos), 1)
        text = next(iter(repos.values()))["Properties"]["LifecyclePolicy"]["LifecyclePolicyText"]
        rules = json.loads(text)["rules"]
        expect_equal([r["description"] for r in rules],
                     ["Keep the build cache (tag buildcache)", "Keep the last 20 images (21 tagged images with the build cache)",
                      "Expire untagged images after 7 days"])
        expect_equal(rules[0]["selection"], {"tagStatus": "tagged", "tagPatternList": ["buildcache"],
                                             "countType": "imageCountMoreThan", "countNumber": 1})
        expect_equal(rules[1]["selection"], {"tagStatus": "tagged", "tagPatternList": ["*"],
                                             "countType": "imageCountMoreThan", "countNumber": 21})
        expect_equal(rules[2]["selection"], {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                             "countNumber": 7, "countUnit": "days"})
    check("lifecycle: the build cache kept, the last 20 tagged images, untagged expiry", lifecycle)

    def identity_record():
        # A recorded immutable-subject repository (the identity command's record in the app's context):
        # the trust admits exactly its subject and pins repository_id, across the jsii boundary.
        key = "cdk-github-ecr-publisher:identity:github.com:octo-org/chatgpt-web"
        record = {"host": "github.com", "fullName": "octo-org/chatgpt-web", "ownerId": 111, "repositoryId": 222,
                  "subClaimPrefix": "repo:octo-org@111/chatgpt-web@222", "useDefault": True,
                  "useImmutableSubject": True, "templateSource": "default", "recordedAt": "2026-12-07T00:00:00Z"}
        recorded_app = App(context={key: record})
        recorded = Stack(recorded_app, "Recorded", env=Environment(account="123456789012", region="us-west-2"))
        recorded_publisher = GitHubEcrPublisher(
            recorded, "ChatgptWeb", repo="octo-org/chatgpt-web", branches=["main"], require_identity_record=True,
            provider_source=OidcProviderSource.create(),
        )
        expect_equal(recorded_publisher.subject_claims, ["repo:octo-org@111/chatgpt-web@222:ref:refs/heads/main"])
        Template.from_stack(recorded).has_resource_properties("AWS::IAM::Role", {
            "AssumeRolePolicyDocument": {"Statement": [Match.object_like({"Condition": Match.object_like({
                "StringEquals": Match.object_like({f"{ISSUER}:repository_id": "222"}),
            })})]},
        })
    check("identity record from the context: the exact immutable subject and repository_id", identity_record)

    def outputs():
        found = template.find_outputs("*")
        expect_equal(len(found), 4)
        values = {k: v["Value"] for k, v in found.items()}
        by_prefix = {p: [v for k, v in values.items() if k.startswith(p)] for p in
                     ["ChatgptWebAwsRegion", "ChatgptWebEcrRegistry", "ChatgptWebEcrRepository", "ChatgptWebAwsRoleArn"]}
        expect_equal(by_prefix["ChatgptWebAwsRegion"], ["us-west-2"])
        expect_equal(by_prefix["ChatgptWebEcrRegistry"], ["123456789012.dkr.ecr.us-west-2.amazonaws.com"])
        expect_equal(len(by_prefix["ChatgptWebEcrRepository"]), 1)
        expect_equal(len(by_prefix["ChatgptWebAwsRoleArn"]), 1)
        template.has_output("*", {"Description": Match.string_like_regexp('AWS_ROLE_ARN of GitHub Environment "production" in octo-org/chatgpt-web')})
    check("outputs: the four values the workflow needs", outputs)
    def explain_claims():
        claims = {
            "sub": "repo:octo-org/chatgpt-web:environment:Production",
            "aud": "sts.amazonaws.com",
            "repository": "octo-org/chatgpt-web",
            "job_workflow_ref": "octo-org/chatgpt-web/.github/workflows/publish-chatgpt-web-prod.yml@refs/heads/main",
        }
        refused = publisher.explain_claims(claims)
        expect_equal(refused.allowed, False)
        expect_equal([(f.key, f.condition_operator, f.actual) for f in refused.failures],
                     [(f"{ISSUER}:sub", "StringLike", "repo:octo-org/chatgpt-web:environment:Production")])
        if "case-sensitive" not in refused.failures[0].hint:
            raise AssertionError(f"hint does not explain the case: {refused.failures[0].hint}")
        allowed = publisher.explain_claims({**claims, "sub": "repo:octo-org/chatgpt-web:environment:production"})
        expect_equal((allowed.allowed, allowed.failures), (True, []))
    check("explain_claims: a dict in, the verdict and its failures out", explain_claims)
    check("exactly one role, repository and provider", lambda: (
        template.resource_count_is("AWS::IAM::Role", 1),
        template.resource_count_is("AWS::ECR::Repository", 1),
        template.resource_count_is("AWS::IAM::OIDCProvider", 1),
    ))

    def workflow_text():
        for line in [
            "name: Publish chatgpt-web",
            "  workflow_dispatch:",
            "    environment: production",
            "          role-to-assume: ${{ vars.AWS_ROLE_ARN }}",
            "          platforms: linux/amd64,linux/arm64",
        ]:
            if line not in workflow.splitlines():
                raise AssertionError(f"workflow has no line {line!r}")
    check("workflow: options given as Python keyword arguments and an enum", workflow_text)

    def bad_input_raises():
        # Validation errors must reach Python as exceptions, not crash the jsii kernel.
        try:
            GitHubEcrPublisher(Stack(App(), "Bad", env=Environment(account="123456789012", region="us-west-2")),
                               "Bad", repo="not a repo")
        except RuntimeError as e:
            if "repo" not in str(e):
                raise AssertionError(f"unexpected message: {e}")
            return
        raise AssertionError("an invalid repo was accepted")
    check("invalid props raise a Python exception", bad_input_raises)

    def image_signing():
        # A separate app: the compared templates stay the guide's.
        signing_stack = Stack(App(), "Signing", env=Environment(account="123456789012", region="us-west-2"))
        signed = GitHubEcrPublisher(signing_stack, "Signed", repo="octo-org/chatgpt-web",
                                    provider_source=OidcProviderSource.create(),
                                    image_signing=ImageSigning.managed())
        signing = Template.from_stack(signing_stack)
        signing.resource_count_is("AWS::Signer::SigningProfile", 1)
        signing.has_resource_properties("AWS::ECR::SigningConfiguration", {
            "Rules": [{
                "RepositoryFilters": [{"Filter": "chatgpt-web", "FilterType": "WILDCARD_MATCH"}],
                "SigningProfileArn": Match.any_value(),
            }],
        })
        signing.has_resource_properties("AWS::IAM::Role", {
            "Policies": [{"PolicyDocument": {"Statement": Match.array_with([Match.object_like({"Action": "signer:SignPayload"})])}}],
        })
        if "Wait for the image signature" not in signed.render_workflow():
            raise AssertionError("the signing publisher's workflow does not wait for the signature")
    check("image_signing=ImageSigning.managed(): profile, configuration, SignPayload, wait step", image_signing)

    with open(os.path.join(outdir, "python.template.json"), "w", encoding="utf-8") as f:
        json.dump(raw, f, indent=2)
    with open(os.path.join(outdir, "python.subjects.json"), "w", encoding="utf-8") as f:
        json.dump(list(publisher.subject_claims), f, indent=2)
    with open(os.path.join(outdir, "python.workflow.yml"), "w", encoding="utf-8") as f:
        f.write(workflow)
    print(f"python: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: app.py <outdir>")
    sys.exit(main(sys.argv[1]))
