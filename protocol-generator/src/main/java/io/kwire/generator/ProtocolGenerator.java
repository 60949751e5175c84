package io.kwire.generator;

public final class ProtocolGenerator {
    public static void main(String[] args) throws Exception {
        System.out.println("generator placeholder " + args[0]);
        System.out.println(ProtocolGenerator.class.getClassLoader().getResource("common/message/MetadataRequest.json"));
    }
}
