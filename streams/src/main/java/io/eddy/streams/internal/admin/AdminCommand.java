package io.eddy.streams.internal.admin;

import java.util.Map;

/** A parsed, shape-checked admin command; one record per operation. */
public sealed interface AdminCommand {

    String requestId();

    /** A command about one existing model. */
    sealed interface ModelCommand extends AdminCommand {
        String model();
    }

    record Create(String requestId, String model, String type, Map<String, Object> params,
                  String inputTopic, String outputTopic, Integer partitions, Short replicationFactor,
                  String backend)
            implements AdminCommand {
    }

    record Update(String requestId, String model, Map<String, Object> params) implements ModelCommand {
    }

    record Pause(String requestId, String model) implements ModelCommand {
    }

    record Resume(String requestId, String model) implements ModelCommand {
    }

    record Snapshot(String requestId, String model, String snapshot) implements ModelCommand {
    }

    record Rollback(String requestId, String model, String snapshot) implements ModelCommand {
    }

    record Reset(String requestId, String model) implements ModelCommand {
    }

    record Delete(String requestId, String model) implements ModelCommand {
    }

    record ListModels(String requestId) implements AdminCommand {
    }

    record Describe(String requestId, String model) implements ModelCommand {
    }
}
