package io.slipway.build.graph;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Encodes an operation as bytes that depend only on its definition: a tag per record type, then
 * every field in declaration order, strings length-prefixed, lists count-prefixed, optionals with a
 * presence byte. The encoding is the input of the vertex digest, so it must never change for an
 * unchanged definition; add fields only at the end of a record's encoding. Confined to one thread.
 */
final class CanonicalEncoder {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  byte[] bytes() {
    return out.toByteArray();
  }

  void integer(long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift) & 0xff);
    }
  }

  void bool(boolean value) {
    out.write(value ? 1 : 0);
  }

  void string(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    integer(bytes.length);
    out.writeBytes(bytes);
  }

  void strings(List<String> values) {
    integer(values.size());
    for (String value : values) {
      string(value);
    }
  }

  void optional(Optional<String> value) {
    bool(value.isPresent());
    value.ifPresent(this::string);
  }

  void operation(Operation operation) {
    string("slipway.op/v1");
    string(operation.kind());
    switch (operation) {
      case Operation.Scratch s -> {}
      case Operation.Image image -> {
        string(image.reference());
        string(image.platform().toString());
        optional(image.resolvedDigest().map(Object::toString));
      }
      case Operation.Local local -> {
        string(local.name());
        strings(local.includePatterns());
        strings(local.excludePatterns());
      }
      case Operation.Http http -> {
        string(http.url());
        optional(http.checksum().map(Object::toString));
        string(http.filename());
      }
      case Operation.Git git -> {
        string(git.remote());
        string(git.ref());
        string(git.subdirectory());
        bool(git.keepGitDir());
      }
      case Operation.FileOp file -> {
        integer(file.actions().size());
        for (FileAction action : file.actions()) {
          action(action);
        }
      }
      case Operation.Merge m -> {}
      case Operation.Exec exec -> {
        strings(exec.args());
        strings(exec.env());
        string(exec.workingDir());
        string(exec.user());
        string(exec.network().name());
        string(exec.security().name());
        integer(exec.mounts().size());
        for (ExecMount mount : exec.mounts()) {
          mount(mount);
        }
      }
    }
  }

  private void action(FileAction action) {
    switch (action) {
      case FileAction.Mkdir mkdir -> {
        string("mkdir");
        string(mkdir.path());
        integer(mkdir.mode());
        bool(mkdir.makeParents());
        optional(mkdir.chown());
      }
      case FileAction.Mkfile mkfile -> {
        string("mkfile");
        string(mkfile.path());
        integer(mkfile.mode());
        string(mkfile.content());
        optional(mkfile.chown());
      }
      case FileAction.Copy copy -> {
        string("copy");
        integer(copy.sourceInput());
        strings(copy.sourcePaths());
        string(copy.destination());
        optional(copy.chown());
        optional(copy.chmod());
        bool(copy.unpack());
        bool(copy.parents());
        strings(copy.excludes());
      }
    }
  }

  private void mount(ExecMount mount) {
    switch (mount) {
      case ExecMount.Bind bind -> {
        string("bind");
        string(bind.target());
        integer(bind.input());
        string(bind.sourcePath());
        bool(bind.readOnly());
      }
      case ExecMount.Cache cache -> {
        string("cache");
        string(cache.target());
        string(cache.id());
        string(cache.sharing().name());
        integer(cache.seedInput());
        string(cache.seedPath());
        bool(cache.readOnly());
        integer(cache.mode());
        integer(cache.uid());
        integer(cache.gid());
      }
      case ExecMount.Tmpfs tmpfs -> {
        string("tmpfs");
        string(tmpfs.target());
        integer(tmpfs.sizeBytes());
      }
      case ExecMount.Secret secret -> {
        string("secret");
        string(secret.target());
        string(secret.id());
        string(secret.env());
        bool(secret.required());
        integer(secret.mode());
        integer(secret.uid());
        integer(secret.gid());
      }
      case ExecMount.Ssh ssh -> {
        string("ssh");
        string(ssh.target());
        string(ssh.id());
        bool(ssh.required());
        integer(ssh.mode());
        integer(ssh.uid());
        integer(ssh.gid());
      }
    }
  }
}
