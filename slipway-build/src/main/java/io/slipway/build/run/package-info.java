/**
 * The RUN executor: runs one {@link io.slipway.build.graph.Operation.Exec} of the build graph in
 * {@code runc} and returns what it changed.
 *
 * <p>The solver calls {@link io.slipway.build.run.RuncExecutor#run} with an
 * {@link io.slipway.build.run.ExecRequest}: the Exec operation, one
 * {@link io.slipway.build.run.Snapshot} per vertex input (index 0 is the root file system; bind
 * and cache mounts name the others by index), a destination path for the changes, the build's
 * {@link io.slipway.build.run.BuildSession} (secrets, SSH agents, entitlements) and the
 * instruction's origin for error messages. On exit code 0 it gets
 * {@link io.slipway.build.run.LayerChanges}: an overlay upper directory (also usable as the top
 * layer of the next step's snapshot) or a pruned copy with a deletion list; either writes itself
 * as a layer through {@code io.slipway.store.layer.LayerWriter}. On any failure nothing is left:
 * no container in runc's state, no mount, no bundle, nothing at the destination.
 *
 * <p>Choices a reader should know:
 *
 * <ul>
 *   <li>Networking: {@code --network=default} and {@code host} share the builder's network
 *       namespace, since Slipway has no bridge; {@code none} gets a new namespace in which runc
 *       brings up loopback only.
 *   <li>{@code /etc/hosts}, {@code /etc/resolv.conf} (a copy of the host's) and
 *       {@code /etc/hostname} are bind-mounted from the bundle, so writes to them vanish.
 *   <li>Mount points the step needs are created before runc starts and removed from the changes
 *       after, with their parent directories' times restored; changes under mount targets go to
 *       the mounts and never into the layer.
 *   <li>Secrets live in the bundle (mode 0700) for the step's duration only; {@code env=} secrets
 *       are in the spec file there, which is removed with the bundle.
 *   <li>No seccomp profile is applied; capabilities, masked and read-only paths follow the
 *       reference builder's defaults.
 *   <li>Runs as root only: rootless runc (user namespaces, subordinate ids) is not supported.
 * </ul>
 */
package io.slipway.build.run;
