using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessReco.Core.Models;
using ServerlessReco.Core.Sessions;

namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>
/// The parts of <c>metrics.json</c> that retrains added lately, as GET /api/manage/models returns them, match the
/// OpenAPI document (additional properties are refused there, so a field the schema does not name fails).
/// </summary>
public sealed class VersionRecordSchemaTests
{
    // As ModelVersionRecord writes itself: web defaults, nulls left out.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private static readonly OpenApiSpec Spec = OpenApiSpec.Load();

    private static JsonElement Schema(string name) => Spec.Root.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static IReadOnlyList<SchemaError> Validate<T>(T value, JsonElement schema) =>
        Spec.Schemas.Validate(JsonSerializer.SerializeToElement(value, Json), schema);

    [Fact]
    public void ABlendWithItsCandidatesAndTheReturningShoppersChoiceMatchesTheSchema()
    {
        var weights = new BlendWeights(1, 0.5, 1, 0.25, 0.05, 0.1);
        var returning = new ReturningBlend(weights with { Repeat = 0 }, 400)
        {
            Candidates = [new ReturningCandidate("visit blend without repeat", weights with { Repeat = 0 }, 0.024, 0, 0) { Chosen = true }, new ReturningCandidate("category popularity", new BlendWeights(0, 0, 1, 0, 0), 0.023, -0.001, 0.0004)],
        };
        var blend = new BlendRecord(true, weights, "chosen on 900 held-out clicks")
        {
            K = 20, Points = 900, Visits = 300, RepeatHalfLife = 1, HitRate = 0.6, Mrr = 0.3, ModelHitRate = 0.5, ModelMrr = 0.25,
            Candidates = [new BlendCandidate(1, weights, 0.6, 0.3) { Chosen = true }, new BlendCandidate(0, BlendWeights.ModelOnly, 0.5, 0.25)],
            Returning = returning,
        };

        var errors = Validate(blend, Schema("ModelVersionRecord").GetProperty("properties").GetProperty("blend"));

        Assert.Empty(errors.Select(e => e.ToString()));
    }

    [Fact]
    public void AClickModelDecisionWithBothJudgesMatchesTheSchemaAndAnUnknownFieldDoesNot()
    {
        var decision = new ClickModelDecision(true, false, "lowered the recall hold-out's lists")
        {
            Trainer = "lightgbm", TrainRows = 800, HoldOutRows = 200, Lists = 100, Engaged = 40, Auc = 0.7, LogLoss = 0.2, BaselineLogLoss = 0.25, Seconds = 1.5,
            Weighting = "none",
            Gate = new ClickModelGateRecord(40, new ClickPolicyEstimate(0.3, 0.25, 0.05, -0.01, 0.1), new ClickPolicyEstimate(0.3, 0.25, 0.05, -0.01, 0.1), true),
            NdcgWithClickModel = 0.1, NdcgWithoutClickModel = 0.2, HoldOut = new GateComparison(500, -0.1, 0.01, -0.12, -0.08, -0.004, false),
        };
        var schema = Schema("ClickModelDecision");

        Assert.Empty(Validate(decision, schema).Select(e => e.ToString()));
        var extra = JsonSerializer.SerializeToNode(decision, Json)!.AsObject();
        extra["unheardOf"] = 1;
        Assert.Contains(Spec.Schemas.Validate(JsonSerializer.SerializeToElement(extra), schema), e => e.Keyword == "additionalProperties");
    }
}
