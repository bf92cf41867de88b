using System.ComponentModel;
using System.Text.Json;
using ServerlessReco.Core.Recommendation;

namespace ServerlessReco.Core.Tests.Recommendation;

/// <summary>The model kind is spelt auto, ease, sar or sequence wherever it is written, and nothing else is accepted.</summary>
public sealed class ModelKindTests
{
    [Theory]
    [InlineData(ModelKind.Auto, "auto")]
    [InlineData(ModelKind.Ease, "ease")]
    [InlineData(ModelKind.Sar, "sar")]
    [InlineData(ModelKind.Sequence, "sequence")]
    public void EachKindIsWrittenAndReadByItsLowerCaseName(ModelKind kind, string name)
    {
        Assert.Equal(name, kind.Name());
        Assert.Equal(kind, ModelKinds.Parse(name));
        Assert.Equal(kind, ModelKinds.Parse(name.ToUpperInvariant()));
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(kind));
        Assert.Equal(kind, JsonSerializer.Deserialize<ModelKind>($"\"{name}\""));
        Assert.Equal(kind, TypeDescriptor.GetConverter(typeof(ModelKind)).ConvertFromInvariantString(name));
    }

    [Theory]
    [InlineData("lightgbm")]
    [InlineData("1")]
    [InlineData("")]
    public void AnyOtherSpellingIsRefusedWithTheChoices(string text)
    {
        var refusal = Assert.Throws<FormatException>(() => ModelKinds.Parse(text));

        Assert.Contains("auto, ease, sar or sequence", refusal.Message, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ModelKind>($"\"{text}\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ModelKind>("1"));
    }

    [Fact]
    public void TrainerOptionsCarryTheKindAsItsName()
    {
        var json = JsonSerializer.Serialize(new TrainerOptions { Model = ModelKind.Sar }, ModelArtifact.Json);

        Assert.Contains("\"sar\"", json, StringComparison.Ordinal);
        Assert.Equal(ModelKind.Sar, JsonSerializer.Deserialize<TrainerOptions>(json, ModelArtifact.Json)!.Model);
    }
}
