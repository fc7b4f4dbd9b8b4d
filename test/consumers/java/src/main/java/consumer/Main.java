// SPDX-License-Identifier: Apache-2.0
package consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.cdkgithubecrpublisher.CreateOidcProviderOptions;
import io.github.cdkgithubecrpublisher.GitHubEcrPublisher;
import io.github.cdkgithubecrpublisher.GitHubIssuer;
import io.github.cdkgithubecrpublisher.ImageSigning;
import io.github.cdkgithubecrpublisher.OidcProviderSource;
import io.github.cdkgithubecrpublisher.WorkflowOptions;
import io.github.cdkgithubecrpublisher.WorkflowValueSource;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Java consumer of the jsii-built jar: the guide's production setup as a Java
 * CDK user writes it, synthesized, checked through aws-cdk-lib's assertions
 * (so the checks cross the jsii boundary too), and written out for
 * test/consumers/compare.js. Same configuration and checks as
 * test/consumers/python/app.py.
 */
public final class Main {
  private static final String ISSUER = "token.actions.githubusercontent.com";
  private static final List<String> PUSH_ACTIONS = List.of(
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart");
  private static final List<String> CONTEXTS =
      List.of("ref:refs/heads/main", "ref:refs/tags/v*", "environment:production");

  private static int passed = 0;
  private static int failed = 0;

  private Main() {
  }

  /** A check that may throw; a failure is reported and counted, the others still run. */
  private interface Check {
    void run() throws Exception;
  }

  private static void check(final String name, final Check c) {
    try {
      c.run();
      passed++;
      System.out.println("  ok   " + name);
    } catch (Exception | AssertionError e) {
      failed++;
      System.out.println("  FAIL " + name + ": " + e.getMessage());
    }
  }

  private static void expectEqual(final Object actual, final Object expected) {
    if (!Objects.equals(actual, expected)) {
      throw new AssertionError("expected " + expected + ", got " + actual);
    }
  }

  public static void main(final String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: Main <outdir>");
    }
    final File outdir = new File(args[0]);
    outdir.mkdirs();
    final List<String> subjects = new ArrayList<>();
    CONTEXTS.forEach(c -> subjects.add("repo:octo-org/chatgpt-web:" + c));
    CONTEXTS.forEach(c -> subjects.add("repo:octo-org@*/chatgpt-web@*:" + c));

    // GIVEN the guide's production setup, written as a Java user would
    final App app = App.Builder.create().outdir(new File(outdir, "cdk.out.java").getPath()).build();
    final Stack stack = Stack.Builder.create(app, "ChatgptWebProd")
        .env(Environment.builder().account("123456789012").region("us-west-2").build())
        .build();
    final GitHubEcrPublisher publisher = GitHubEcrPublisher.Builder.create(stack, "ChatgptWeb")
        .repo("octo-org/chatgpt-web")
        .branches(List.of("main"))
        .tags(List.of("v*"))
        .environments(List.of("production"))
        .issuer(GitHubIssuer.GITHUB_COM)
        .providerSource(OidcProviderSource.create(
            CreateOidcProviderOptions.builder().removalPolicy(RemovalPolicy.RETAIN).build()))
        .repositoryName("chatgpt-web-prod")
        .maxImageCount(20)
        .untaggedImageExpiry(Duration.days(7))
        .build();

    // WHEN it is synthesized and its workflow rendered (the YAML library bundled
    // in the package runs inside the jsii kernel)
    final String workflow = publisher.renderWorkflow(WorkflowOptions.builder()
        .workflowName("Publish chatgpt-web")
        .valueSource(WorkflowValueSource.VARIABLES)
        .workflowDispatch(true)
        .platforms(List.of("linux/amd64", "linux/arm64"))
        .build());
    final Template template = Template.fromStack(stack);
    final Object raw = app.synth().getStackByName(stack.getStackName()).getTemplate();

    // THEN the trust policy, push permissions, lifecycle and outputs are the guide's
    System.out.println("java consumer:");
    check("attributes cross the jsii boundary", () -> {
      expectEqual(publisher.getGithubRepository(), "octo-org/chatgpt-web");
      expectEqual(publisher.getAudience(), "sts.amazonaws.com");
      expectEqual(publisher.getIssuer().getUrl(), "https://" + ISSUER);
      expectEqual(publisher.getIssuer().conditionKey("sub"), ISSUER + ":sub");
      expectEqual(publisher.getAllowPullRequests(), false);
      expectEqual(publisher.getSubjectClaims().stream().sorted().collect(Collectors.toList()),
          subjects.stream().sorted().collect(Collectors.toList()));
    });
    check("trust policy: aud, repository pin and both subject forms", () -> template.hasResourceProperties(
        "AWS::IAM::Role",
        Map.of("AssumeRolePolicyDocument", Map.of("Statement", List.of(Map.of(
            "Action", "sts:AssumeRoleWithWebIdentity",
            "Effect", "Allow",
            "Principal", Map.of("Federated", Map.of("Ref", Match.stringLikeRegexp("^GitHubOidcProvider"))),
            "Condition", Map.of(
                "StringEquals", Map.of(
                    ISSUER + ":aud", "sts.amazonaws.com",
                    ISSUER + ":repository", "octo-org/chatgpt-web"),
                // 'v*' is a wildcard, so every subject is under StringLike
                "StringLike", Map.of(ISSUER + ":sub", Match.arrayEquals(new ArrayList<Object>(subjects))))))))));
    check("push policy: login on * and 7 actions on this repository only", () -> template.hasResourceProperties(
        "AWS::IAM::Role",
        Map.of("Policies", List.of(Map.of(
            "PolicyName", "EcrPush",
            "PolicyDocument", Map.of("Statement", List.of(
                Map.of("Action", "ecr:GetAuthorizationToken", "Resource", "*", "Effect", "Allow"),
                Map.of("Action", PUSH_ACTIONS, "Effect", "Allow",
                    "Resource", Map.of("Fn::GetAtt",
                        List.of(Match.stringLikeRegexp("^ChatgptWebRepository"), "Arn"))))))))));
    check("provider: native, sts audience, retained", () -> template.hasResource(
        "AWS::IAM::OIDCProvider",
        Map.of(
            "Properties", Map.of("Url", "https://" + ISSUER, "ClientIdList", List.of("sts.amazonaws.com")),
            "DeletionPolicy", "Retain")));
    check("repository: name, scan on push, release tags immutable, retained", () -> template.hasResource(
        "AWS::ECR::Repository",
        Map.of(
            "Properties", Match.objectLike(Map.of(
                "RepositoryName", "chatgpt-web-prod",
                "ImageScanningConfiguration", Map.of("ScanOnPush", true),
                "ImageTagMutability", "MUTABLE_WITH_EXCLUSION",
                "ImageTagMutabilityExclusionFilters", List.of(Map.of(
                    "ImageTagMutabilityExclusionFilterType", "WILDCARD",
                    "ImageTagMutabilityExclusionFilterValue", "v*")))),
            "DeletionPolicy", "Retain")));
    check("lifecycle: the build cache kept, the last 20 tagged images, untagged expiry", () -> {
      final Map<String, Map<String, Object>> repos = template.findResources("AWS::ECR::Repository");
      expectEqual(repos.size(), 1);
      @SuppressWarnings("unchecked")
      final Map<String, Object> props = (Map<String, Object>) repos.values().iterator().next().get("Properties");
      @SuppressWarnings("unchecked")
      final String text = (String) ((Map<String, Object>) props.get("LifecyclePolicy")).get("LifecyclePolicyText");
      @SuppressWarnings("unchecked")
      final List<Map<String, Object>> rules = (List<Map<String, Object>>) new ObjectMapper().readValue(text, Map.class).get("rules");
      expectEqual(rules.stream().map(r -> r.get("description")).collect(Collectors.toList()),
          List.of("Keep the build cache (tag buildcache)", "Keep the last 20 images (21 tagged images with the build cache)",
              "Expire untagged images after 7 days"));
      expectEqual(rules.get(0).get("selection"), Map.of("tagStatus", "tagged", "tagPatternList", List.of("buildcache"),
          "countType", "imageCountMoreThan", "countNumber", 1));
      expectEqual(rules.get(1).get("selection"), Map.of("tagStatus", "tagged", "tagPatternList", List.of("*"),
          "countType", "imageCountMoreThan", "countNumber", 21));
      expectEqual(rules.get(2).get("selection"), Map.of("tagStatus", "untagged", "countType", "sinceImagePushed",
          "countNumber", 7, "countUnit", "days"));
    });
    check("identity record from the context: the exact immutable subject and repository_id", () -> {
      // A recorded immutable-subject repository (the identity command's record in the app's context).
      final Map<String, Object> record = new java.util.HashMap<>();
      record.put("host", "github.com");
      record.put("fullName", "octo-org/chatgpt-web");
      record.put("ownerId", 111);
      record.put("repositoryId", 222);
      record.put("subClaimPrefix", "repo:octo-org@111/chatgpt-web@222");
      record.put("useDefault", true);
      record.put("useImmutableSubject", true);
      record.put("templateSource", "default");
      record.put("recordedAt", "2026-12-07T00:00:00Z");
      final App recordedApp = App.Builder.create()
          .context(Map.of("cdk-github-ecr-publisher:identity:github.com:octo-org/chatgpt-web", record)).build();
      final Stack recorded = Stack.Builder.create(recordedApp, "Recorded")
          .env(Environment.builder().account("123456789012").region("us-west-2").build()).build();
      final GitHubEcrPublisher recordedPublisher = GitHubEcrPublisher.Builder.create(recorded, "ChatgptWeb")
          .repo("octo-org/chatgpt-web").branches(List.of("main")).requireIdentityRecord(true)
          .providerSource(OidcProviderSource.create()).build();
      expectEqual(recordedPublisher.getSubjectClaims(), List.of("repo:octo-org@111/chatgpt-web@222:ref:refs/heads/main"));
      Template.fromStack(recorded).hasResourceProperties("AWS::IAM::Role", Map.of(
          "AssumeRolePolicyDocument", Map.of("Statement", List.of(Match.objectLike(Map.of("Condition", Match.objectLike(Map.of(
              "StringEquals", Match.objectLike(Map.of(ISSUER + ":repository_id", "222"))))))))));
    });
    check("outputs: the four values the workflow needs", () -> {
      final Map<String, Map<String, Object>> outputs = template.findOutputs("*");
      expectEqual(outputs.size(), 4);
      final Map<String, List<Object>> byPrefix = new java.util.HashMap<>();
      for (String p : List.of("ChatgptWebAwsRegion", "ChatgptWebEcrRegistry", "ChatgptWebEcrRepository", "ChatgptWebAwsRoleArn")) {
        byPrefix.put(p, outputs.entrySet().stream().filter(e -> e.getKey().startsWith(p))
            .map(e -> e.getValue().get("Value")).collect(Collectors.toList()));
      }
      expectEqual(byPrefix.get("ChatgptWebAwsRegion"), List.of("us-west-2"));
      expectEqual(byPrefix.get("ChatgptWebEcrRegistry"), List.of("123456789012.dkr.ecr.us-west-2.amazonaws.com"));
      expectEqual(byPrefix.get("ChatgptWebEcrRepository").size(), 1);
      expectEqual(byPrefix.get("ChatgptWebAwsRoleArn").size(), 1);
      template.hasOutput("*", Map.of("Description",
          Match.stringLikeRegexp("AWS_ROLE_ARN of GitHub Environment \"production\" in octo-org/chatgpt-web")));
    });
    check("exactly one role, repository and provider", () -> {
      template.resourceCountIs("AWS::IAM::Role", 1);
      template.resourceCountIs("AWS::ECR::Repository", 1);
      template.resourceCountIs("AWS::IAM::OIDCProvider", 1);
    });
    check("workflow: options given with a builder and an enum", () -> {
      final List<String> lines = List.of(workflow.split("\n", -1));
      for (String line : List.of(
          "name: Publish chatgpt-web",
          "  workflow_dispatch:",
          "    environment: production",
          "          role-to-assume: ${{ vars.AWS_ROLE_ARN }}",
          "          platforms: linux/amd64,linux/arm64")) {
        if (!lines.contains(line)) {
          throw new AssertionError("workflow has no line '" + line + "'");
        }
      }
    });
    check("invalid props raise a Java exception", () -> {
      final Stack bad = Stack.Builder.create(new App(), "Bad")
          .env(Environment.builder().account("123456789012").region("us-west-2").build()).build();
      try {
        GitHubEcrPublisher.Builder.create(bad, "Bad").repo("not a repo").build();
      } catch (RuntimeException e) {
        if (!String.valueOf(e.getMessage()).contains("repo")) {
          throw new AssertionError("unexpected message: " + e.getMessage());
        }
        return;
      }
      throw new AssertionError("an invalid repo was accepted");
    });
    check("imageSigning(ImageSigning.managed()): profile, configuration, SignPayload, wait step", () -> {
      // A separate app: the compared templates stay the guide's.
      final Stack signingStack = Stack.Builder.create(new App(), "Signing")
          .env(Environment.builder().account("123456789012").region("us-west-2").build()).build();
      final GitHubEcrPublisher signed = GitHubEcrPublisher.Builder.create(signingStack, "Signed")
          .repo("octo-org/chatgpt-web")
          .providerSource(OidcProviderSource.create())
          .imageSigning(ImageSigning.managed())
          .build();
      final Template signing = Template.fromStack(signingStack);
      signing.resourceCountIs("AWS::Signer::SigningProfile", 1);
      signing.hasResourceProperties("AWS::ECR::SigningConfiguration", Map.of("Rules", List.of(Map.of(
          "RepositoryFilters", List.of(Map.of("Filter", "chatgpt-web", "FilterType", "WILDCARD_MATCH")),
          "SigningProfileArn", Match.anyValue()))));
      signing.hasResourceProperties("AWS::IAM::Role", Map.of("Policies", List.of(Map.of("PolicyDocument", Map.of(
          "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Action", "signer:SignPayload")))))))));
      if (!signed.renderWorkflow().contains("Wait for the image signature")) {
        throw new AssertionError("the signing publisher's workflow does not wait for the signature");
      }
    });

    final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    json.writeValue(new File(outdir, "java.template.json"), raw);
    json.writeValue(new File(outdir, "java.subjects.json"), publisher.getSubjectClaims());
    Files.writeString(new File(outdir, "java.workflow.yml").toPath(), workflow, StandardCharsets.UTF_8);
    System.out.println("java: " + passed + " passed, " + failed + " failed");
    System.exit(failed == 0 ? 0 : 1);
  }
}
