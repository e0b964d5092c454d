package io.eddy.streams.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where the engine takes admin commands from. The boundary is Kafka's: whoever may WRITE to a
 * trusted topic is an administrator, so on a secured cluster the topics' ACLs decide who that is.
 * The principal header is a claim the producer makes about itself, checked against
 * {@code principals} to keep tools and people that share a trusted topic to their role; it proves
 * nothing that the ACLs do not.
 *
 * @param topics topics whose commands are applied; the engine also reads {@link Topics#ADMIN} when it
 *     is not among them, to answer commands sent there with a refusal instead of silence
 * @param principals when not empty, a command must carry exactly one {@link #PRINCIPAL_HEADER}
 *     naming one of these (e.g. {@code User:alice}, as the cluster's ACLs name principals)
 */
public record AdminTrust(List<String> topics, Set<String> principals) {
    /** Record header in which producer-side tooling names the principal it sends a command as. */
    public static final String PRINCIPAL_HEADER = "eddy.principal";
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public AdminTrust {
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted admin topic is needed");
        }
        for (final String topic : topics) {
            if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                throw new IllegalArgumentException("not a valid admin topic name: '" + topic + "'");
            }
            if (Set.of(Topics.ADMIN_REPLIES, Topics.MODELS, Topics.METRICS, Topics.DLQ).contains(topic)) {
                throw new IllegalArgumentException("'" + topic + "' is one of the engine's own topics, "
                        + "not an admin topic");
            }
        }
        topics = List.copyOf(new LinkedHashSet<>(topics));
        for (final String principal : principals) {
            if (principal == null || principal.isBlank()) {
                throw new IllegalArgumentException("a trusted principal must not be blank");
            }
        }
        principals = Set.copyOf(principals);
    }

    /** Commands on {@link Topics#ADMIN} from anyone: the setting of an engine told nothing else. */
    public static AdminTrust standard() {
        return new AdminTrust(List.of(Topics.ADMIN), Set.of());
    }

    /** Every topic the admin application reads: the trusted ones and the standard one. */
    public List<String> sourceTopics() {
        final List<String> sources = new ArrayList<>(topics);
        if (!sources.contains(Topics.ADMIN)) {
            sources.add(Topics.ADMIN);
        }
        return List.copyOf(sources);
    }

    /** Why a command read from {@code topic} with {@code headers} must not be applied; empty when it may. */
    public Optional<String> refusal(final String topic, final Headers headers) {
        if (topic == null || !topics.contains(topic)) {
            return Optional.of("admin commands on topic '" + topic + "' are not accepted: it is not one of this "
                    + "engine's trusted admin topics (eddy engine --admin-topic)");
        }
        if (principals.isEmpty()) {
            return Optional.empty();
        }
        final List<String> claimed = new ArrayList<>();
        for (final Header header : headers.headers(PRINCIPAL_HEADER)) {
            claimed.add(header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        if (claimed.isEmpty()) {
            return Optional.of("admin command has no '" + PRINCIPAL_HEADER + "' header: this engine accepts "
                    + "commands only from trusted principals (eddy admin --principal)");
        }
        if (claimed.size() > 1) {
            return Optional.of("admin command has " + claimed.size() + " '" + PRINCIPAL_HEADER
                    + "' headers; send exactly one");
        }
        if (!principals.contains(claimed.get(0))) {
            final String shown = claimed.get(0).length() <= 200 ? claimed.get(0)
                    : claimed.get(0).substring(0, 200) + "...";
            return Optional.of("principal '" + shown + "' is not trusted to send admin commands to this "
                    + "engine (eddy engine --admin-principal)");
        }
        return Optional.empty();
    }

    /** One line for the engine's start-up message. */
    public String describe() {
        return "admin commands accepted on " + String.join(", ", topics)
                + (principals.isEmpty() ? " from any principal"
                        : " from " + String.join(", ", new TreeSet<>(principals)));
    }
}
