package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.TestWebSocketServer.Frame;
import dev.switchboard.websocket.CloseCodes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@link FrameWriter} without a socket: what it writes, and in how many writes. */
class FrameWriterTest {

  /** Records every write call and the bytes. */
  private static final class RecordingStream extends OutputStream {
    final AtomicInteger writes = new AtomicInteger();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes.incrementAndGet();
      bytes.write(b, off, len);
    }

    synchronized int size() {
      return bytes.size();
    }

    synchronized List<Frame> frames() throws IOException {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
      List<Frame> frames = new ArrayList<>();
      while (in.available() > 0) {
        frames.add(Frame.read(in));
      }
      return frames;
    }
  }

  private static int frameSize(int payload) {
    return 2 + (payload <= 125 ? 0 : payload <= 0xFFFF ? 2 : 8) + 4 + payload;
  }

  @Test
  void framesQueuedDuringAWriteGoOutInOneWrite() throws IOException {
    FrameWriter writer = new FrameWriter(1000);
    int expected = 0;
    for (int i = 0; i < 500; i++) {
      byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
      assertThat(writer.send(FrameWriter.TEXT, message)).isTrue();
      expected += frameSize(message.length);
    }
    RecordingStream out = new RecordingStream();
    writer.start(out, "test", e -> {});
    int total = expected;
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> out.size() == total);

    assertThat(out.writes.get()).isEqualTo(1);
    List<Frame> frames = out.frames();
    assertThat(frames).hasSize(500);
    for (int i = 0; i < 500; i++) {
      assertThat(frames.get(i).masked()).isTrue();
      assertThat(frames.get(i).text()).isEqualTo("message " + i);
    }
    writer.stop();
    assertThat(writer.awaitFinished(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void everyLengthEncodingAndMaskTailRoundTrips() throws IOException {
    FrameWriter writer = new FrameWriter(100);
    Random random = new Random(42);
    List<byte[]> sent = new ArrayList<>();
    int expected = 0;
    for (int length : new int[] {0, 1, 3, 7, 8, 9, 15, 125, 126, 1000, 65_535, 65_536, 300_000}) {
      byte[] payload = new byte[length];
      random.nextBytes(payload);
      sent.add(payload.clone()); // the writer owns what it is given
      writer.send(FrameWriter.BINARY, payload);
      expected += frameSize(length);
    }
    RecordingStream out = new RecordingStream();
    writer.start(out, "test", e -> {});
    int total = expected;
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> out.size() == total);

    List<Frame> frames = out.frames();
    assertThat(frames).hasSize(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      assertThat(frames.get(i).opcode()).isEqualTo(FrameWriter.BINARY);
      assertThat(frames.get(i).payload()).isEqualTo(sent.get(i));
    }
    writer.stop();
  }

  @Test
  void aFullQueueRefusesDataButNotPings() {
    FrameWriter writer = new FrameWriter(2);
    assertThat(writer.send(FrameWriter.TEXT, new byte[1])).isTrue();
    assertThat(writer.send(FrameWriter.TEXT, new byte[1])).isTrue();
    assertThat(writer.send(FrameWriter.TEXT, new byte[1])).isFalse();
    assertThat(writer.control(FrameWriter.PING, new byte[1])).isTrue();
  }

  @Test
  void nothingIsQueuedOrWrittenAfterTheCloseFrame() throws IOException {
    FrameWriter writer = new FrameWriter(10);
    writer.send(FrameWriter.TEXT, new byte[] {'a'});
    assertThat(writer.close(1000, "bye")).isTrue();
    assertThat(writer.close(1001, "again")).isFalse();
    assertThat(writer.send(FrameWriter.TEXT, new byte[] {'b'})).isFalse();
    assertThat(writer.control(FrameWriter.PONG, new byte[0])).isFalse();

    RecordingStream out = new RecordingStream();
    writer.start(out, "test", e -> {});
    assertThat(writer.awaitFinished(Duration.ofSeconds(5))).isTrue();
    List<Frame> frames = out.frames();
    assertThat(frames)
        .extracting(Frame::opcode)
        .containsExactly(FrameWriter.TEXT, FrameWriter.CLOSE);
    assertThat(frames.get(1).closeCode()).isEqualTo(1000);
  }

  @Test
  void aLongCloseReasonIsCutWithoutSplittingACharacter() {
    byte[] payload = FrameWriter.closePayload(1000, "é".repeat(100)); // 2 bytes each
    assertThat(payload.length).isEqualTo(2 + 122);
    assertThat(new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8))
        .isEqualTo("é".repeat(61));
    assertThat(FrameWriter.closePayload(CloseCodes.NO_STATUS, "ignored")).isEmpty();
  }
}
