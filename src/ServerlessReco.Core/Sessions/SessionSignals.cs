using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Sessions;

/// <summary>What a retrain adds to a model for short sessions: the neighbour sessions, and the blend weights chosen on its hold-out (null: none chosen).</summary>
public sealed record SessionSignals(SessionIndex Index, BlendChoice? Blend)
{
    public void AttachTo(ModelArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        artifact.Attach(SessionIndex.AttachmentName, Index.ToBytes());
        if (Blend is not null)
        {
            artifact.Attach(BlendChoice.AttachmentName, Blend.ToBytes());
            artifact.AddMetrics(new Dictionary<string, double>
            {
                ["blend.hr@20"] = Blend.HitRate,
                ["blend.mrr@20"] = Blend.Mrr,
                ["blend.model-alone.hr@20"] = Blend.ModelHitRate,
                ["blend.model-alone.mrr@20"] = Blend.ModelMrr,
            });
        }
    }
}
