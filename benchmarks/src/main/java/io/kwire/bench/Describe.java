package io.kwire.bench;

import io.kwire.bench.codec.CodecBenchmark;

/** Prints the payload sizes of the codec benchmark (and checks both encoders agree). */
public final class Describe {
    private Describe() {
    }

    public static void main(String[] args) {
        System.out.println("Payloads: " + CodecBenchmark.describe() + ".");
    }
}
