package io.slipway.build.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.build.cache.LayerRef;
import io.slipway.build.snapshot.Snapshotter;
import io.slipway.build.snapshot.TreeLease;
import io.slipway.build.snapshot.Trees;
import io.slipway.client.OnDemandClient;
import io.slipway.client.RegistryClient;
import io.slipway.client.Repository;
import io.slipway.client.TransferListener;
import io.slipway.oci.Descriptor;
import io.slipway.oci.MediaTypes;
import io.slipway.oci.reference.Reference;
import io.slipway.store.blob.BlobStore;
import io.slipway.store.layer.ChangeSet;
import io.slipway.store.layer.LayerWriteOptions;
import io.slipway.store.layer.LayerWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a built image to an {@link Output}: an OCI layout tar, a {@code docker load} tar (an OCI
 * layout plus {@code manifest.json}, as {@code docker save} writes since Docker 25), the root file
 * system as a directory or a tar, or a named image pushed with the {@link RegistryClient} (which
 * skips blobs the registry already has, so a registry sharing the store receives no layer bytes).
 * Archives are written to a temporary file beside the destination and renamed into place, with
 * fixed entry times and owners, so equal images give byte-equal archives. Stateless apart from its
 * collaborators; safe for concurrent use on different destinations.
 */
public final class Exporter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlobStore store;
  private final Snapshotter snapshots;
  private final Optional<OnDemandClient> client;

  /** An exporter reading from {@code store}, pushing with {@code client} when there is one. */
  public Exporter(BlobStore store, Snapshotter snapshots, Optional<RegistryClient> client) {
    this(snapshots, store, client.map(OnDemandClient::of));
  }

  /**
   * An exporter reading from {@code store}, pushing with {@code client} (made at the first push)
   * when there is one.
   */
  public Exporter(Snapshotter snapshots, BlobStore store, Optional<OnDemandClient> client) {
    this.store = store;
    this.snapshots = snapshots;
    this.client = client;
  }

  /** Writes {@code image} as {@code output} asks. */
  public void export(BuiltImage image, Output output) throws IOException, InterruptedException {
    export(image, output, TransferListener.none());
  }

  /** Writes {@code image} as {@code output} asks, reporting pushed blobs to {@code transfers}. */
  public void export(BuiltImage image, Output output, TransferListener transfers)
      throws IOException, InterruptedException {
    switch (output) {
      case Output.OciTar oci -> writeArchive(image, oci.dest(), oci.names(), false);
      case Output.DockerTar docker -> writeArchive(image, docker.dest(), docker.names(), true);
      case Output.LocalDirectory local -> {
        try (TreeLease tree = snapshots.tree(image.layers())) {
          Files.createDirectories(local.dest());
          Trees.copyContents(tree.path(), local.dest());
        }
      }
      case Output.RootfsTar tar -> {
        try (TreeLease tree = snapshots.tree(image.layers())) {
          writeAtomically(tar.dest(), out -> LayerWriter.writeTar(ChangeSet.of(tree.path()),
              false, LayerWriteOptions.defaults(), out));
        }
      }
      case Output.Image named -> {
        if (named.push()) {
          push(image, named.names(), transfers);
        }
      }
    }
  }

  private void push(BuiltImage image, List<String> names, TransferListener transfers)
      throws IOException, InterruptedException {
    if (names.isEmpty()) {
      throw new IOException("push needs an image name: use -t NAME:TAG or --output"
          + " type=image,name=NAME:TAG,push=true");
    }
    RegistryClient registry = client.orElseThrow(() -> new IOException(
        "push needs a registry client, which this build was started without")).get();
    for (String name : names) {
      Reference reference = Reference.parse(name);
      List<String> tags = reference.tag().map(t -> List.of(t.value())).orElse(List.of("latest"));
      registry.push(store, image.manifest(), Repository.of(reference), tags, null, transfers);
    }
  }

  @FunctionalInterface
  private interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private static void writeAtomically(Path dest, Body body) throws IOException {
    Path parent = dest.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = Files.createTempFile(parent, "." + dest.getFileName(), ".tmp");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary),
          256 * 1024)) {
        body.writeTo(out);
      }
      // Durable before it takes the destination's name, and the name durable before the build
      // reports success: a crash never leaves a truncated archive under the name asked for.
      Trees.force(temporary);
      Files.move(temporary, dest, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Trees.force(parent);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private void writeArchive(BuiltImage image, Path dest, List<String> names, boolean docker)
      throws IOException {
    List<Descriptor> blobs = new ArrayList<>();
    blobs.add(image.manifest());
    blobs.add(image.config());
    Set<String> seen = new LinkedHashSet<>();
    for (LayerRef layer : image.layers()) {
      blobs.add(layer.blob());
    }
    byte[] index = indexJson(image, names);
    writeAtomically(dest, raw -> {
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        directory(tar, "blobs/");
        directory(tar, "blobs/sha256/");
        for (Descriptor blob : blobs) {
          if (!seen.add(blob.digest().toString())) {
            continue;
          }
          TarArchiveEntry entry = entry("blobs/" + blob.digest().algorithm().ociName() + "/"
              + blob.digest().encoded(), blob.size());
          tar.putArchiveEntry(entry);
          try (InputStream in = store.openVerified(blob.digest())) {
            in.transferTo(tar);
          }
          tar.closeArchiveEntry();
        }
        file(tar, "oci-layout",
            "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        file(tar, "index.json", index);
        if (docker) {
          file(tar, "manifest.json", dockerManifest(image, names));
        }
        tar.finish();
      }
    });
  }

  private static byte[] indexJson(BuiltImage image, List<String> names) throws IOException {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    List<String> entries = names.isEmpty() ? List.of("") : names;
    for (String name : entries) {
      ObjectNode entry = manifests.addObject();
      entry.put("mediaType", image.manifest().mediaType());
      entry.put("digest", image.manifest().digest().toString());
      entry.put("size", image.manifest().size());
      if (!name.isEmpty()) {
        Reference reference = Reference.parse(name);
        ObjectNode annotations = entry.putObject("annotations");
        annotations.put("io.containerd.image.name", reference.toString());
        annotations.put("org.opencontainers.image.ref.name",
            reference.tag().map(t -> t.value()).orElse("latest"));
      }
    }
    return JSON.writeValueAsBytes(index);
  }

  private static byte[] dockerManifest(BuiltImage image, List<String> names) throws IOException {
    ArrayNode root = JSON.createArrayNode();
    ObjectNode entry = root.addObject();
    entry.put("Config", "blobs/sha256/" + image.config().digest().encoded());
    ArrayNode tags = entry.putArray("RepoTags");
    for (String name : names) {
      Reference reference = Reference.parse(name);
      tags.add(reference.familiarName() + ":"
          + reference.tag().map(t -> t.value()).orElse("latest"));
    }
    ArrayNode layers = entry.putArray("Layers");
    for (LayerRef layer : image.layers()) {
      layers.add("blobs/sha256/" + layer.blob().digest().encoded());
    }
    return JSON.writeValueAsBytes(root);
  }

  private static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setMode(0100644);
    entry.setModTime(FileTime.from(Instant.EPOCH));
    entry.setUserId(0);
    entry.setGroupId(0);
    return entry;
  }

  private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(040755);
    entry.setModTime(FileTime.from(Instant.EPOCH));
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    tar.putArchiveEntry(entry(name, content.length));
    tar.write(content);
    tar.closeArchiveEntry();
  }
}
