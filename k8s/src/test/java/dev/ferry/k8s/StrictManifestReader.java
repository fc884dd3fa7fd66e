package dev.ferry.k8s;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Kubernetes YAML into fabric8's typed model and refuses everything that model would take
 * silently but the API server would not, or would read differently:
 * <ul>
 *   <li>a key twice in one mapping (YAML keeps the last one without a word);</li>
 *   <li>an apiVersion/kind fabric8 does not know (it would give a {@link GenericKubernetesResource});</li>
 *   <li>an unknown field anywhere ({@link UnknownFields});</li>
 *   <li>a value of the wrong type: {@code replicas: "2"}, {@code FERRY_PORT: 2121} in a
 *       ConfigMap's string data. The parsed model is written back and compared with the file, so
 *       nothing was coerced, dropped or added on the way.</li>
 * </ul>
 */
final class StrictManifestReader {

  private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesSerialization model = new KubernetesSerialization(strictMapper(), true);

  /** A mapper that does not turn numbers or booleans into strings (ConfigMap data, env values). */
  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper();
    for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    return mapper;
  }

  /**
   * Every document of {@code yaml}, typed; empty documents (a trailing {@code ---}) are skipped.
   *
   * @param source names the file in messages
   * @throws InvalidManifestException on the first document that is not a faithful, known object
   */
  List<HasMetadata> read(String source, String yaml) {
    List<HasMetadata> resources = new ArrayList<>();
    int index = 0;
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        index++;
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        resources.add(resource(source + ", document " + index, document));
      }
    } catch (InvalidManifestException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Jackson's own: a duplicate key, broken YAML, a value of the wrong shape.
      throw new InvalidManifestException(source + ", document " + (index + 1) + ": " + e.getMessage(), e);
    }
    return resources;
  }

  private HasMetadata resource(String where, JsonNode document) throws IOException {
    if (!document.isObject()) {
      throw new InvalidManifestException(where + ": not a mapping");
    }
    Object parsed = model.convertValue(document, KubernetesResource.class);
    if (parsed instanceof GenericKubernetesResource || !(parsed instanceof HasMetadata resource)) {
      throw new InvalidManifestException(where + ": unknown apiVersion/kind " + document.path("apiVersion").asText()
        + "/" + document.path("kind").asText());
    }
    List<String> unknown = UnknownFields.in(resource);
    if (!unknown.isEmpty()) {
      throw new InvalidManifestException(where + " (" + resource.getKind() + " " + resource.getMetadata().getName()
        + "): unknown fields " + unknown);
    }
    Optional<String> difference = firstDifference("", document, JSON.readTree(model.asJson(resource)));
    if (difference.isPresent()) {
      throw new InvalidManifestException(where + " (" + resource.getKind() + " " + resource.getMetadata().getName()
        + "): the model does not hold what the file says at " + difference.get());
    }
    return resource;
  }

  /** Where {@code written} (the model written back) differs from {@code file}, if anywhere. */
  static Optional<String> firstDifference(String path, JsonNode file, JsonNode written) {
    if (file.isObject() && written.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = file.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        JsonNode back = written.get(field.getKey());
        if (back == null) {
          // fabric8 leaves out empty values: `emptyDir: {}` comes back as nothing.
          if (field.getValue().isNull() || (field.getValue().isContainerNode() && field.getValue().isEmpty())) {
            continue;
          }
          return Optional.of(at + " (dropped)");
        }
        Optional<String> inside = firstDifference(at, field.getValue(), back);
        if (inside.isPresent()) {
          return inside;
        }
      }
      for (Iterator<String> names = written.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!file.has(name)) {
          return Optional.of((path.isEmpty() ? name : path + "." + name) + " (added)");
        }
      }
      return Optional.empty();
    }
    if (file.isArray() && written.isArray() && file.size() == written.size()) {
      for (int i = 0; i < file.size(); i++) {
        Optional<String> inside = firstDifference(path + "[" + i + "]", file.get(i), written.get(i));
        if (inside.isPresent()) {
          return inside;
        }
      }
      return Optional.empty();
    }
    if (file.isNumber() && written.isNumber() && file.decimalValue().compareTo(written.decimalValue()) == 0) {
      return Optional.empty();
    }
    // A quantity may be written as a number (`cpu: 2`); the model keeps it as text, as the API does.
    if (file.isNumber() && written.isTextual() && file.asText().equals(written.asText())) {
      return Optional.empty();
    }
    return file.equals(written) ? Optional.empty() : Optional.of(path + " (file: " + file + ", model: " + written + ")");
  }

  /** A manifest that is not what Kubernetes would accept, or not what it seems to say. */
  static final class InvalidManifestException extends RuntimeException {

    InvalidManifestException(String message) {
      super(message);
    }

    InvalidManifestException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
