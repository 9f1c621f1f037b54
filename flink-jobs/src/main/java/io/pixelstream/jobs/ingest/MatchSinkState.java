package io.pixelstream.jobs.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * What the match sink's writer keeps in a checkpoint: per partition of the match topic, the offset
 * its writes had reached (what comes after may have been written after the checkpoint, and is read
 * back on a restore), and the identities of match events read back after an earlier restore that
 * the replay has not produced again yet ({@link io.pixelstream.core.watch.MatchEvent#identity}).
 */
record MatchSinkState(Map<Integer, Long> offsets, Set<String> pending) {

  MatchSinkState {
    offsets = Map.copyOf(offsets);
    pending = Set.copyOf(pending);
  }

  /** The element-wise minimum of the offsets and the union of the pending (several subtasks). */
  static MatchSinkState merge(Collection<MatchSinkState> states) {
    Map<Integer, Long> offsets = new TreeMap<>();
    Set<String> pending = new TreeSet<>();
    for (MatchSinkState s : states) {
      s.offsets.forEach((p, o) -> offsets.merge(p, o, Math::min));
      pending.addAll(s.pending);
    }
    return new MatchSinkState(offsets, pending);
  }

  static final class Serializer implements SimpleVersionedSerializer<MatchSinkState> {

    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(MatchSinkState state) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(state.offsets.size());
        for (Map.Entry<Integer, Long> e : new TreeMap<>(state.offsets).entrySet()) {
          out.writeInt(e.getKey());
          out.writeLong(e.getValue());
        }
        out.writeInt(state.pending.size());
        for (String identity : new TreeSet<>(state.pending)) {
          out.writeUTF(identity);
        }
      }
      return bytes.toByteArray();
    }

    @Override
    public MatchSinkState deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("unknown match sink state version " + version);
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        Map<Integer, Long> offsets = new TreeMap<>();
        for (int n = in.readInt(); n > 0; n--) {
          offsets.put(in.readInt(), in.readLong());
        }
        Set<String> pending = new TreeSet<>();
        for (int n = in.readInt(); n > 0; n--) {
          pending.add(in.readUTF());
        }
        return new MatchSinkState(offsets, pending);
      }
    }
  }
}
