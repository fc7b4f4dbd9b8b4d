# SPDX-License-Identifier: Apache-2.0
"""The README's two-environment app (dev and prod stacks), written as a
Python user's CDK app: the library is pip-installed by name. The publish
rehearsal (scripts/ci/rehearse.sh) runs it in a fresh venv and compares what it
writes with the TypeScript and Java versions of the same app.

Usage: python app.py <outdir>   (writes <Stack>.template.json and <Stack>.workflow.yml)
"""
import json
import os
import sys

from aws_cdk import App, Environment, Stack

from cdk_github_ecr_publisher import GitHubEcrPublisher


def main(outdir):
    app = App(outdir=os.path.join(outdir, "cdk.out"))

    dev = Stack(app, "ChatgptWebDev", env=Environment(account="111111111111", region="us-east-1"))
    dev_publisher = GitHubEcrPublisher(
        dev,
        "ChatgptWeb",
        repo="octo-org/chatgpt-web",
        repository_name="chatgpt-web-dev",
        branches=["develop"],
        environments=["development"],
    )

    prod = Stack(app, "ChatgptWebProd", env=Environment(account="111111111111", region="us-west-2"))
    prod_publisher = GitHubEcrPublisher(
        prod,
        "ChatgptWeb",
        repo="octo-org/chatgpt-web",
        repository_name="chatgpt-web-prod",
        tags=["v*"],
        environments=["production"],
    )

    assembly = app.synth()
    os.makedirs(outdir, exist_ok=True)
    for stack, publisher in [(dev, dev_publisher), (prod, prod_publisher)]:
        template = assembly.get_stack_by_name(stack.stack_name).template
        with open(os.path.join(outdir, f"{stack.stack_name}.template.json"), "w", encoding="utf-8") as f:
            json.dump(template, f, indent=2)
        with open(os.path.join(outdir, f"{stack.stack_name}.workflow.yml"), "w", encoding="utf-8") as f:
            f.write(publisher.render_workflow(workflow_name=f"Publish {stack.stack_name}", workflow_dispatch=True))
        print(f"{stack.stack_name}: {len(template.get('Resources', {}))} resources, "
              f"{len(publisher.subject_claims)} trusted subjects")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: app.py <outdir>")
    main(sys.argv[1])
