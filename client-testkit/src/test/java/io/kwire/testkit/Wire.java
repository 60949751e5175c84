package io.kwire.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Hand-encoded Kafka frames over a plain socket, for tests. */
final class Wire {

    private Wire() {
    }

    /** {@code [size][api key][version][correlation id][client id]([tagged fields])[body]}. */
    static byte[] request(int apiKey, int version, int correlationId, String clientId, boolean flexibleHeader,
            byte[] body) {
        try {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(header);
            h.writeShort(apiKey);
            h.writeShort(version);
            h.writeInt(correlationId);
            if (clientId == null) {
                h.writeShort(-1);
            } else {
                byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
                h.writeShort(id.length);
                h.write(id);
            }
            if (flexibleHeader) {
                h.writeByte(0); // no tagged fields
            }
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            DataOutputStream f = new DataOutputStream(frame);
            f.writeInt(header.size() + body.length);
            f.write(header.toByteArray());
            f.write(body);
            return frame.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads one frame; returns its bytes without the size prefix. */
    static byte[] readFrame(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int size = in.readInt();
        byte[] b = new byte[size];
        in.readFully(b);
        return b;
    }

    /** Reads up to {@code max} bytes until EOF; returns what came. */
    static byte[] readToEof(Socket socket, int max) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while (out.size() < max && (n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static void writeUnsignedVarint(DataOutputStream out, int value) throws IOException {
        while ((value & ~0x7f) != 0) {
            out.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    static int readUnsignedVarint(DataInputStream in) throws IOException {
        int value = 0;
        int shift = 0;
        while (true) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
    }
}
