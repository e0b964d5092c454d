package io.eddy.state.internal;

import io.eddy.learners.api.ParameterState;
import io.eddy.state.api.ModelMeta;
import io.eddy.state.api.StateFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary formats of stored values. Every value starts with a one-byte format version. A parameter
 * block is the version then little-endian floats, readable in place through a {@link FloatBuffer}
 * view; the meta record is the version then big-endian fields via {@link DataOutputStream}.
 */
public final class StateCodec {
    public static final byte FORMAT_VERSION = 1;

    private StateCodec() {
    }

    /** Encodes block {@code block} of {@code params}; {@code null} when it is all zeros. */
    public static byte[] encodeBlock(final ParameterState params, final int block) {
        final int floats = params.floatsPerBlock();
        final byte[] bytes = new byte[1 + 4 * floats];
        bytes[0] = FORMAT_VERSION;
        final FloatBuffer view = floatView(bytes);
        params.readBlock(block, view);
        for (int i = 0; i < floats; i++) {
            if (view.get(i) != 0f) {
                return bytes;
            }
        }
        return null;
    }

    /** Decodes a block value into block {@code block} of {@code params}. */
    public static void decodeBlock(final byte[] bytes, final ParameterState params, final int block) {
        checkVersion(bytes, "parameter block " + block);
        if (bytes.length != 1 + 4 * params.floatsPerBlock()) {
            throw new StateFormatException("parameter block " + block + " has " + (bytes.length - 1)
                    + " bytes, expected " + 4 * params.floatsPerBlock());
        }
        params.writeBlock(block, floatView(bytes));
    }

    public static byte[] encodeMeta(final ModelMeta meta) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeUTF(meta.model());
            out.writeUTF(meta.learnerType());
            out.writeLong(meta.generation());
            out.writeLong(meta.updates());
            out.writeBoolean(meta.paused());
            out.writeInt(meta.params().size());
            for (final Map.Entry<String, Double> param : meta.params().entrySet()) {
                out.writeUTF(param.getKey());
                out.writeDouble(param.getValue());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ModelMeta decodeMeta(final byte[] bytes) {
        checkVersion(bytes, "model meta");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
            final String model = in.readUTF();
            final String type = in.readUTF();
            final long generation = in.readLong();
            final long updates = in.readLong();
            final boolean paused = in.readBoolean();
            final int count = in.readInt();
            if (count < 0) {
                throw new StateFormatException("model meta has " + count + " parameters");
            }
            final Map<String, Double> params = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                params.put(in.readUTF(), in.readDouble());
            }
            if (in.available() > 0) {
                throw new StateFormatException("model meta has " + in.available() + " bytes after its end");
            }
            return new ModelMeta(model, type, generation, updates, paused, params);
        } catch (final IOException e) {
            throw new StateFormatException("model meta is truncated: " + e.getMessage());
        }
    }

    /** Bytes before the floats of per-key state: the version and the last-seen time. */
    static final int ENTITY_HEADER = 1 + 8;

    /**
     * Encodes per-key state: the version, the event time in ms when the key was last seen (for idle
     * eviction), then little-endian floats.
     */
    public static byte[] encodeEntity(final long lastSeenMs, final float[] values) {
        final byte[] bytes = new byte[ENTITY_HEADER + 4 * values.length];
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(FORMAT_VERSION).putLong(lastSeenMs);
        buffer.asFloatBuffer().put(values);
        return bytes;
    }

    /** Decodes per-key state into {@code into}, which must have the stored length. */
    public static void decodeEntity(final byte[] bytes, final float[] into) {
        checkVersion(bytes, "per-key state");
        if (bytes.length != ENTITY_HEADER + 4 * into.length) {
            throw new StateFormatException("per-key state has " + bytes.length + " bytes, expected "
                    + entityBytes(into.length) + " (" + into.length + " floats)");
        }
        ByteBuffer.wrap(bytes, ENTITY_HEADER, bytes.length - ENTITY_HEADER).slice().order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(into);
    }

    /** The last-seen event time of encoded per-key state. */
    public static long entityLastSeen(final byte[] bytes) {
        checkVersion(bytes, "per-key state");
        if (bytes.length < ENTITY_HEADER || (bytes.length - ENTITY_HEADER) % 4 != 0) {
            throw new StateFormatException("per-key state of " + bytes.length + " bytes is not a header of "
                    + ENTITY_HEADER + " and whole floats");
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(1);
    }

    /** Encodes a count: the version, then a little-endian long. */
    public static byte[] encodeCount(final long count) {
        return ByteBuffer.allocate(1 + 8).order(ByteOrder.LITTLE_ENDIAN).put(FORMAT_VERSION).putLong(count).array();
    }

    public static long decodeCount(final byte[] bytes) {
        checkVersion(bytes, "count");
        if (bytes.length != 1 + 8) {
            throw new StateFormatException("a count has " + bytes.length + " bytes, expected 9");
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(1);
    }

    /** The encoded size of per-key state of {@code floats} floats, without its key. */
    public static int entityBytes(final int floats) {
        return ENTITY_HEADER + 4 * floats;
    }

    private static FloatBuffer floatView(final byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, bytes.length - 1).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    private static void checkVersion(final byte[] bytes, final String what) {
        if (bytes.length == 0 || bytes[0] != FORMAT_VERSION) {
            throw new StateFormatException(what + " has format version "
                    + (bytes.length == 0 ? "(empty)" : Byte.toString(bytes[0]))
                    + ", this build reads " + FORMAT_VERSION);
        }
    }
}
