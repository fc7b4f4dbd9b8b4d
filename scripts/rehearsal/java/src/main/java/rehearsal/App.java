// SPDX-License-Identifier: Apache-2.0
package rehearsal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.cdkgithubecrpublisher.GitHubEcrPublisher;
import io.github.cdkgithubecrpublisher.GitHubEcrPublisherProps;
import io.github.cdkgithubecrpublisher.WorkflowOptions;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The README's two-environment app (dev and prod stacks), written as a Java
 * user's CDK app: the library is resolved by its Maven coordinates. The publish
 * rehearsal (scripts/ci/rehearse.sh) runs it from a fresh Maven project and
 * compares what it writes with the TypeScript and Python versions of the same app.
 */
public final class App {
  private App() {
  }

  private static Stack stack(final software.amazon.awscdk.App app, final String id, final String region) {
    return new Stack(app, id, StackProps.builder()
        .env(Environment.builder().account("111111111111").region(region).build())
        .build());
  }

  public static void main(final String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: App <outdir>");
    }
    final File outdir = new File(args[0]);
    final software.amazon.awscdk.App app = software.amazon.awscdk.App.Builder.create()
        .outdir(new File(outdir, "cdk.out").getPath())
        .build();

    final Stack dev = stack(app, "ChatgptWebDev", "us-east-1");
    final GitHubEcrPublisher devPublisher = new GitHubEcrPublisher(dev, "ChatgptWeb", GitHubEcrPublisherProps.builder()
        .repo("octo-org/chatgpt-web")
        .repositoryName("chatgpt-web-dev")
        .branches(List.of("develop"))
        .environments(List.of("development"))
        .build());

    final Stack prod = stack(app, "ChatgptWebProd", "us-west-2");
    final GitHubEcrPublisher prodPublisher = new GitHubEcrPublisher(prod, "ChatgptWeb", GitHubEcrPublisherProps.builder()
        .repo("octo-org/chatgpt-web")
        .repositoryName("chatgpt-web-prod")
        .tags(List.of("v*"))
        .environments(List.of("production"))
        .build());

    final CloudAssembly assembly = app.synth();
    outdir.mkdirs();
    final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    for (final Map.Entry<Stack, GitHubEcrPublisher> e : List.of(Map.entry(dev, devPublisher), Map.entry(prod, prodPublisher))) {
      final String name = e.getKey().getStackName();
      final Object template = assembly.getStackByName(name).getTemplate();
      json.writeValue(new File(outdir, name + ".template.json"), template);
      final String workflow = e.getValue().renderWorkflow(WorkflowOptions.builder()
          .workflowName("Publish " + name)
          .workflowDispatch(true)
          .build());
      Files.writeString(new File(outdir, name + ".workflow.yml").toPath(), workflow, StandardCharsets.UTF_8);
      final Object resources = ((Map<?, ?>) template).get("Resources");
      System.out.println(name + ": " + ((Map<?, ?>) resources).size() + " resources, "
          + e.getValue().getSubjectClaims().size() + " trusted subjects");
    }
  }
}
