package io.slipway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of a server that counts the bytes clients send through it, for
 * tests that must show how much a push moved. Thread-safe; each connection is relayed by two
 * virtual threads. {@link #close} stops it and every connection.
 */
final class ByteCountingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final AtomicLong upstream = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  ByteCountingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.submit(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Bytes clients sent towards the server so far (request lines, headers and bodies). */
  long upstreamBytes() {
    return upstream.get();
  }

  private Void accept() throws IOException {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return null;
      }
      Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      sockets.add(client);
      sockets.add(server);
      threads.submit(() -> relay(client, server, upstream));
      threads.submit(() -> relay(server, client, new AtomicLong()));
    }
    return null;
  }

  private static Void relay(Socket from, Socket to, AtomicLong counter) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        counter.addAndGet(n);
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The other side closed; closing both ends below ends the pair.
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException e) {
        // Already closed.
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    threads.shutdownNow();
  }
}
