package dev.ferry.k8s;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds the fields fabric8 did not recognise. Its model classes never fail on an unknown field:
 * they keep it in {@code additionalProperties} (STACK.md), so a typo such as
 * {@code imagePullPolcy} parses fine and only the API server, much later, would complain. This
 * walks every model object of a parsed resource and reports each such field by its path.
 */
final class UnknownFields {

  private static final String FIELD = "additionalProperties";

  private UnknownFields() {
  }

  /** Paths like {@code spec.template.spec.containers[0].imagePullPolcy}; empty when all is known. */
  static List<String> in(Object model) {
    List<String> found = new ArrayList<>();
    walk("", model, found);
    return found;
  }

  private static void walk(String path, Object value, List<String> found) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int index = 0;
      for (Object item : items) {
        walk(path + "[" + index++ + "]", item, found);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> walk(path + "." + key, item, found));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return; // a string, number, boolean or enum: nothing inside
    }
    for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        Object child = read(field, value);
        if (field.getName().equals(FIELD) && child instanceof Map<?, ?> unknown) {
          unknown.keySet().forEach(key -> found.add(join(path, String.valueOf(key))));
        } else {
          walk(join(path, jsonName(field)), child, found);
        }
      }
    }
  }

  private static Object read(Field field, Object owner) {
    try {
      field.setAccessible(true);
      return field.get(owner);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + field + " of the fabric8 model", e);
    }
  }

  private static String jsonName(Field field) {
    JsonProperty property = field.getAnnotation(JsonProperty.class);
    return property != null && !property.value().isEmpty() ? property.value() : field.getName();
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
