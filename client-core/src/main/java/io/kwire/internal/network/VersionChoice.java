package io.kwire.internal.network;

import io.kwire.errors.UnsupportedVersionException;
import io.kwire.network.NodeApiVersions;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.ProduceRequest;

/**
 * The version a request goes out at: the highest both sides support, unless that version would change what the
 * request means. Produce v13 and Fetch v13 name topics by id alone (KIP-516); a topic the caller named only by name
 * would reach the broker as the empty id. So a request with a topic that has no id is capped at v12, the last
 * version that carries names, and a request with a topic that has no name cannot go below v13. When the broker
 * leaves no such version, the request fails at once with an {@link UnsupportedVersionException} saying which field
 * to set. The client does not fill ids from its metadata: the caller's request is sent as the caller wrote it.
 */
final class VersionChoice {

    /** The last Produce and Fetch version that names topics; from 13 on they are named by id. */
    static final short LAST_BY_NAME = 12;

    private VersionChoice() {
    }

    static short choose(ApiRequest<?> request, NodeApiVersions versions) {
        ApiKey key = request.apiKey();
        short version = versions.latestUsableVersion(key);
        if (key != ApiKey.PRODUCE && key != ApiKey.FETCH) {
            return version;
        }
        String byNameOnly = null;
        String byIdOnly = null;
        if (request instanceof ProduceRequest p) {
            for (ProduceRequest.TopicProduceData t : p.topicData()) {
                byNameOnly = byNameOnly != null ? byNameOnly : nameWithoutId(t.name(), t.topicId());
                byIdOnly = byIdOnly != null ? byIdOnly : idWithoutName(t.name(), t.topicId());
            }
        } else if (request instanceof FetchRequest f) {
            for (FetchRequest.FetchTopic t : f.topics()) {
                byNameOnly = byNameOnly != null ? byNameOnly : nameWithoutId(t.topic(), t.topicId());
                byIdOnly = byIdOnly != null ? byIdOnly : idWithoutName(t.topic(), t.topicId());
            }
            for (FetchRequest.ForgottenTopic t : f.forgottenTopicsData()) {
                byNameOnly = byNameOnly != null ? byNameOnly : nameWithoutId(t.topic(), t.topicId());
                byIdOnly = byIdOnly != null ? byIdOnly : idWithoutName(t.topic(), t.topicId());
            }
        }
        short lowest = (short) Math.max(key.lowestSupportedVersion(), versions.ranges().get(key.id())[0]);
        if (byNameOnly != null && version > LAST_BY_NAME) {
            if (lowest > LAST_BY_NAME) {
                throw new UnsupportedVersionException(key.displayName() + " names topic '" + byNameOnly
                        + "' without its topic id, but the broker only takes v" + lowest + " and later, which name"
                        + " topics by id (KIP-516): set the topic id from the cluster metadata");
            }
            version = LAST_BY_NAME;
        }
        if (byIdOnly != null && version <= LAST_BY_NAME) {
            throw new UnsupportedVersionException(key.displayName() + " names topic id " + byIdOnly + " without its"
                    + " name, but " + key.displayName() + " v" + version + " (the highest this request can go at to"
                    + " this broker) names topics by name: set the topic name");
        }
        return version;
    }

    private static String nameWithoutId(String name, Uuid id) {
        return (id == null || Uuid.ZERO.equals(id)) && name != null && !name.isEmpty() ? name : null;
    }

    private static String idWithoutName(String name, Uuid id) {
        return id != null && !Uuid.ZERO.equals(id) && (name == null || name.isEmpty()) ? id.toString() : null;
    }
}
