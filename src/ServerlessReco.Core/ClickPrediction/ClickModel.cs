using System.Text;

namespace ServerlessReco.Core.ClickPrediction;

/// <summary>
/// A trained click model as served: the tree ensemble, its calibration, the exposure counts the features read (items,
/// shoppers, shopper-item fatigue), the overall rate the smoothed rates shrink to, and its hold-out figures. Stored as an attachment of the model version
/// it was trained with (<see cref="AttachmentName"/>), so it is loaded, checked and swapped with that version.
/// </summary>
public sealed class ClickModel(TreeEnsemble ensemble, PlattCalibration calibration, ClickExposures exposures, double overallRate, ClickModelFigures figures)
{
    public const string AttachmentName = "click-model";

    private const int Magic = 0x4C444D43; // "CMDL"
    private const byte FormatVersion = 2; // 2: shopper and pair counts (fatigue) beside the items'

    public TreeEnsemble Ensemble { get; } = ensemble;

    public PlattCalibration Calibration { get; } = calibration;

    public ClickExposures Exposures { get; } = exposures;

    public double OverallRate { get; } = overallRate;

    public ClickModelFigures Figures { get; } = figures;

    /// <summary>The calibrated probability that a row with these features is clicked (or carted or bought).</summary>
    public double Probability(ReadOnlySpan<float> features) => Calibration.Probability(Ensemble.Score(features));

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(ClickFeatures.Count);
            Ensemble.Write(writer);
            writer.Write(Calibration.Slope);
            writer.Write(Calibration.Offset);
            writer.Write(OverallRate);
            Exposures.Write(writer);
            Figures.Write(writer);
        }

        return buffer.ToArray();
    }

    public static ClickModel FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        if (reader.ReadInt32() != Magic || reader.ReadByte() != FormatVersion)
        {
            throw new InvalidDataException("Not a click model of a known format.");
        }

        if (reader.ReadInt32() != ClickFeatures.Count)
        {
            throw new InvalidDataException("The click model was trained on other features than this version computes.");
        }

        var ensemble = TreeEnsemble.Read(reader);
        if (ensemble.Features != ClickFeatures.Count)
        {
            throw new InvalidDataException("The click model's trees read another number of features.");
        }

        var calibration = new PlattCalibration(reader.ReadDouble(), reader.ReadDouble());
        var overall = reader.ReadDouble();
        var exposures = ClickExposures.Read(reader);
        return new ClickModel(ensemble, calibration, exposures, overall, ClickModelFigures.Read(reader));
    }
}

/// <summary>
/// What a click model was trained on and how it did on the newest rows it did not train on: rows, lists and engaged
/// rows of each part, AUC, log-loss (and that of always predicting the training rate), and the seconds it took.
/// </summary>
public sealed record ClickModelFigures(
    int TrainRows, int HoldOutRows, int Lists, int Engaged, double Auc, double LogLoss, double BaselineLogLoss, double Seconds, string Weighting)
{
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(TrainRows);
        writer.Write(HoldOutRows);
        writer.Write(Lists);
        writer.Write(Engaged);
        writer.Write(Auc);
        writer.Write(LogLoss);
        writer.Write(BaselineLogLoss);
        writer.Write(Seconds);
        writer.Write(Weighting);
    }

    public static ClickModelFigures Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(),
            reader.ReadDouble(), reader.ReadDouble(), reader.ReadString());
    }
}
