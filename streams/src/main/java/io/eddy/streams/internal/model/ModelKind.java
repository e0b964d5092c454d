package io.eddy.streams.internal.model;

import io.eddy.learners.LearnerCatalog;
import io.eddy.learners.api.LearnerType;
import io.eddy.learners.api.SparseExample;

/**
 * Binds a learner type to the way the engine decodes its events. One per registered type; adding
 * a learner type to the engine means adding its binding here.
 *
 * @param <E> the learner's example type
 */
public interface ModelKind<E> {

    LearnerType<E> learnerType();

    EventDecoder<E> newDecoder();

    /** The label of the decoded example, or NaN when it has none. */
    float label(E example);

    /** The binding for a learner type name, or {@code null} if the engine cannot serve it. */
    @SuppressWarnings("unchecked")
    static ModelKind<?> forType(final String typeName) {
        if ("ftrl".equals(typeName)) {
            return sparse((LearnerType<SparseExample>) LearnerCatalog.find(typeName));
        }
        return null;
    }

    /** A learner over hashed sparse features, fed by {@link SparseEventDecoder}. */
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
            public float label(final SparseExample example) {
                return example.labelled() ? example.label() : Float.NaN;
            }
        };
    }
}
