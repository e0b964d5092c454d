package io.eddy.streams.internal.model;

import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.DenseExample;
import io.eddy.learners.api.HyperParameter;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.SparseExample;
import io.eddy.learners.reco.RecoExample;
import io.eddy.learners.reco.RecoType;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Binds a learner type to the way the engine decodes its events and reports its outcomes. One per
 * registered type; adding a learner type to the engine means adding its binding here.
 *
 * @param <E> the learner's example type
 */
public interface ModelKind<E> {

    LearnerType<E> learnerType();

    EventDecoder<E> newDecoder();

    /** Whether the decoded example carries something to learn from. */
    boolean labelled(E example);

    /** The prediction format and prequential figures for a model with these resolved parameters. */
    Outcomes<E> newOutcomes(Map<String, Double> params, int window);

    /**
     * Why the record key {@code key} cannot carry the decoded {@code example}, or {@code null}: models
     * whose key state belongs to a field of the event need that field as the key.
     */
    default String keyProblem(final byte[] key, final E example) {
        return null;
    }

    /** The binding for a learner type name, or {@code null} if the engine cannot serve it. */
    @SuppressWarnings("unchecked")
    static ModelKind<?> forType(final String typeName) {
        final LearnerType<?> type = LearnerCatalog.find(typeName);
        if (type == null) {
            return null;
        }
        if ("ftrl".equals(typeName)) {
            return sparse((LearnerType<SparseExample>) type);
        }
        if ("rtrl".equals(typeName) || "ff".equals(typeName) || "mlp".equals(typeName)) {
            return dense((LearnerType<DenseExample>) type);
        }
        if (RecoType.MF.equals(typeName) || RecoType.IMPLICIT.equals(typeName)) {
            return reco((LearnerType<RecoExample>) type, RecoType.MF.equals(typeName));
        }
        return null;
    }

    /** A recommendation model, fed by {@link RecoEventDecoder}; the record key is the user. */
    static ModelKind<RecoExample> reco(final LearnerType<RecoExample> type, final boolean explicit) {
        return new ModelKind<>() {
            @Override
            public LearnerType<RecoExample> learnerType() {
                return type;
            }

            @Override
            public EventDecoder<RecoExample> newDecoder() {
                return new RecoEventDecoder();
            }

            @Override
            public boolean labelled(final RecoExample example) {
                return example.learnable(explicit);
            }

            @Override
            public Outcomes<RecoExample> newOutcomes(final Map<String, Double> params, final int window) {
                return new RecoOutcomes(explicit, window);
            }

            @Override
            public String keyProblem(final byte[] key, final RecoExample example) {
                if (key == null) {
                    return "the record has no key: a recommendation event's key must be its user, '"
                            + example.user() + "'";
                }
                return isUtf8Of(key, example.user()) ? null : "the record key '"
                        + new String(key, StandardCharsets.UTF_8) + "' is not the event's user '" + example.user()
                        + "': a user's state is kept under the user as key";
            }
        };
    }

    /** Whether {@code bytes} are {@code text} in UTF-8; without allocating when the text is ASCII. */
    static boolean isUtf8Of(final byte[] bytes, final String text) {
        if (bytes.length == text.length()) {
            boolean ascii = true;
            for (int i = 0; i < bytes.length && ascii; i++) {
                final char c = text.charAt(i);
                if (c >= 0x80) {
                    ascii = false;
                } else if (bytes[i] != c) {
                    return false;
                }
            }
            if (ascii) {
                return true;
            }
        }
        return new String(bytes, StandardCharsets.UTF_8).equals(text);
    }

    /** A binary classifier over hashed sparse features, fed by {@link SparseEventDecoder}. */
    static ModelKind<SparseExample> sparse(final LearnerType<SparseExample> type) {
        return new ModelKind<>() {
            @Override
            public LearnerType<SparseExample> learnerType() {
                return type;
            }

            @Override
            public EventDecoder<SparseExample> newDecoder() {
                return new SparseEventDecoder();
            }

            @Override
            public boolean labelled(final SparseExample example) {
                return example.labelled();
            }

            @Override
            public Outcomes<SparseExample> newOutcomes(final Map<String, Double> params, final int window) {
                return new BinaryOutcomes(window);
            }
        };
    }

    /**
     * A learner over dense input vectors, fed by {@link DenseEventDecoder}; its {@code task} parameter
     * says whether it classifies or regresses, and a type without one classifies.
     */
    static ModelKind<DenseExample> dense(final LearnerType<DenseExample> type) {
        return new ModelKind<>() {
            @Override
            public LearnerType<DenseExample> learnerType() {
                return type;
            }

            @Override
            public EventDecoder<DenseExample> newDecoder() {
                return new DenseEventDecoder();
            }

            @Override
            public boolean labelled(final DenseExample example) {
                return example.labelled();
            }

            @Override
            public Outcomes<DenseExample> newOutcomes(final Map<String, Double> params, final int window) {
                final HyperParameter task = type.hyperParameters().stream()
                        .filter(p -> p.name().equals("task")).findFirst().orElse(null);
                return task == null || "classification".equals(task.choiceOf(params.get("task")))
                        ? new ClassOutcomes(window) : new RegressionOutcomes(window);
            }
        };
    }
}
