package io.pixelstream.core.registry;

import io.pixelstream.core.eval.EmbeddingEvaluation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides whether a candidate model replaces the current one, both evaluated on the same set: the
 * candidate's mean NMI must beat the current's by more than {@code margin}, and its precision@10
 * may drop by at most {@code precisionTolerance}. With no current model the candidate is promoted.
 *
 * @param margin required NMI improvement (absolute), >= 0
 * @param precisionTolerance allowed precision@10 drop (absolute), >= 0
 */
public record PromotionGate(double margin, double precisionTolerance) {

  public static final PromotionGate DEFAULT = new PromotionGate(0.0, 0.01);

  public PromotionGate {
    if (margin < 0 || precisionTolerance < 0) {
      throw new IllegalArgumentException("margin and precisionTolerance must be >= 0");
    }
  }

  /** The outcome, with every number used. */
  public record Decision(boolean promote, String reason, Map<String, Object> numbers) {}

  public Decision decide(EmbeddingEvaluation.Report current, EmbeddingEvaluation.Report candidate) {
    Map<String, Object> numbers = new LinkedHashMap<>();
    numbers.put("candidateNmi", candidate.nmi().mean());
    numbers.put("candidatePrecisionAt10", candidate.precisionAt10());
    numbers.put("margin", margin);
    numbers.put("precisionTolerance", precisionTolerance);
    if (current == null) {
      return new Decision(true, "no current model", numbers);
    }
    numbers.put("currentNmi", current.nmi().mean());
    numbers.put("currentPrecisionAt10", current.precisionAt10());
    double gain = candidate.nmi().mean() - current.nmi().mean();
    double drop = current.precisionAt10() - candidate.precisionAt10();
    if (gain <= margin) {
      return new Decision(
          false,
          String.format("NMI gain %.4f is not above the margin %.4f", gain, margin),
          numbers);
    }
    if (drop > precisionTolerance) {
      return new Decision(
          false,
          String.format("precision@10 drops by %.4f, more than %.4f", drop, precisionTolerance),
          numbers);
    }
    return new Decision(true, String.format("NMI +%.4f, precision@10 %+.4f", gain, -drop), numbers);
  }
}
