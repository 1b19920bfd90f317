package io.slipway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.build.dockerfile.Location;
import io.slipway.build.graph.Outline;
import io.slipway.build.graph.Targets;
import io.slipway.build.lint.LintFinding;
import io.slipway.build.lint.LintReport;

/**
 * JSON forms of the {@code --call} results, for {@code --call=outline,format=json} and its
 * siblings, so scripts need not parse tables. Stateless and thread-safe.
 */
final class CallJson {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CallJson() {}

  static String outline(Outline outline) {
    ObjectNode root = JSON.createObjectNode();
    root.put("target", outline.target());
    root.put("description", outline.description());
    ArrayNode args = root.putArray("args");
    for (Outline.BuildArg arg : outline.args()) {
      ObjectNode node = args.addObject();
      node.put("name", arg.name());
      if (arg.defaultValue().isPresent()) {
        node.put("value", arg.defaultValue().get());
      } else {
        node.putNull("value");
      }
      node.put("description", arg.description());
      location(node, arg.location());
    }
    ArrayNode secrets = root.putArray("secrets");
    for (Outline.SecretUse secret : outline.secrets()) {
      ObjectNode node = secrets.addObject();
      node.put("id", secret.id());
      node.put("required", secret.required());
      location(node, secret.location());
    }
    ArrayNode ssh = root.putArray("ssh");
    for (Outline.SshUse agent : outline.ssh()) {
      ObjectNode node = ssh.addObject();
      node.put("id", agent.id());
      node.put("required", agent.required());
      location(node, agent.location());
    }
    return write(root);
  }

  static String targets(Targets targets) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("targets");
    for (Targets.Target target : targets.targets()) {
      ObjectNode node = list.addObject();
      node.put("name", target.name());
      node.put("description", target.description());
      node.put("base", target.base());
      node.put("default", target.isDefault());
      location(node, target.location());
    }
    return write(root);
  }

  static String check(LintReport report) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode warnings = root.putArray("warnings");
    for (LintFinding finding : report.findings()) {
      ObjectNode node = warnings.addObject();
      node.put("rule", finding.rule().ruleName());
      node.put("description", finding.rule().description());
      node.put("url", finding.rule().url());
      node.put("message", finding.message());
      node.put("file", report.file());
      location(node, finding.location());
    }
    root.put("error", report.failing());
    return write(root);
  }

  private static void location(ObjectNode node, Location location) {
    ObjectNode at = node.putObject("location");
    at.put("line", location.line());
    at.put("column", location.column());
  }

  private static String write(ObjectNode root) {
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }
}
