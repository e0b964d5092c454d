package io.eddy.learners.rtrl;

import io.eddy.kernels.api.RecurrentCell;
import io.eddy.learners.api.OptimizerSettings;
import java.util.Map;

/** The shape and training settings of an rtrl net, read from resolved hyper-parameters. */
public record RtrlConfig(RecurrentCell cell, int inputs, int hidden, int stages, long stageEvents, int outputs,
                         boolean classification, boolean adam, double learningRate, double beta1, double beta2,
                         double gradientClip, int batch, double initScale, long seed) {

    public RtrlConfig {
        if (inputs < 1 || hidden < 1 || stages < 1 || outputs < 1 || batch < 1 || stageEvents < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        OptimizerSettings.check("rtrl", adam, learningRate, beta1, beta2);
        OptimizerSettings.atLeast("rtrl", "gradientClip", gradientClip, 0);
        OptimizerSettings.atLeast("rtrl", "initScale", initScale, 0);
    }

    /** Reads a config from the map {@code HyperParameters.resolve(RtrlType.hyperParameters(), ...)} returns. */
    public static RtrlConfig from(final Map<String, Double> p) {
        return new RtrlConfig(RecurrentCell.values()[p.get(RtrlType.CELL).intValue()],
                p.get(RtrlType.INPUTS).intValue(),
                p.get(RtrlType.HIDDEN).intValue(), p.get(RtrlType.STAGES).intValue(),
                p.get(RtrlType.STAGE_EVENTS).longValue(), p.get(RtrlType.OUTPUTS).intValue(),
                p.get(RtrlType.TASK).intValue() == 1, p.get(RtrlType.OPTIMIZER).intValue() == 1,
                p.get(RtrlType.LEARNING_RATE), p.get(RtrlType.BETA1), p.get(RtrlType.BETA2),
                p.get(RtrlType.GRADIENT_CLIP), p.get(RtrlType.BATCH).intValue(), p.get(RtrlType.INIT_SCALE),
                p.get(RtrlType.SEED).longValue());
    }

    /** Units in all stages. */
    public int units() {
        return stages * hidden;
    }

    /** Inputs of a unit in stage {@code stage}: the event's inputs and the features of earlier stages. */
    public int fanIn(final int stage) {
        return inputs + stage * hidden;
    }
}
