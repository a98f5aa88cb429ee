package dev.switchboard.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One Lua script of this module, read from its resources ({@code dev/switchboard/redis/*.lua}) and
 * run by {@link RedisEngine#eval}: by its SHA-1 ({@code EVALSHA}), sent whole only when Redis does
 * not know it yet (after a restart, say).
 *
 * @param name the resource's name, for errors
 * @param source the script
 * @param sha1 the script's SHA-1, as Redis names it
 */
public record LuaScript(String name, String source, String sha1) {

  public LuaScript {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sha1, "sha1");
  }

  /** A script from its source text. */
  public static LuaScript of(String name, String source) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(name, source, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  /**
   * The script in resource {@code dev/switchboard/redis/<fileName>}.
   *
   * @throws IllegalStateException when the resource is missing (a packaging bug)
   */
  public static LuaScript load(String fileName) {
    String path = "/dev/switchboard/redis/" + fileName;
    try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + path);
      }
      return of(fileName, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script resource " + path, e);
    }
  }
}
