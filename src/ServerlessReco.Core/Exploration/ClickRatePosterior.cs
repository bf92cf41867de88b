namespace ServerlessReco.Core.Exploration;

/// <summary>
/// An item's click rate as a Beta posterior: a prior worth <c>priorStrength</c> impressions at <c>priorMean</c>, updated
/// by its clicks and impressions. Shared by the uncertainty policy's explore draws and the new-arrival slot's turns.
/// </summary>
public static class ClickRatePosterior
{
    /// <summary>The posterior mean plus <paramref name="confidence"/> standard deviations: high for items never shown or clicked when shown.</summary>
    public static double UpperBound(double clicks, double impressions, double priorMean, double priorStrength, double confidence)
    {
        clicks = Math.Max(0, clicks);
        var a = (priorStrength * priorMean) + clicks;
        var b = (priorStrength * (1 - priorMean)) + Math.Max(0, impressions - clicks);
        var mean = a / (a + b);
        return mean + (confidence * Math.Sqrt(mean * (1 - mean) / (a + b + 1)));
    }
}
