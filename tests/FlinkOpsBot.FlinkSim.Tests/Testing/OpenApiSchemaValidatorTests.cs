using FlinkOpsBot.Testing;
using Xunit.Sdk;

namespace FlinkOpsBot.FlinkSim.Tests.Testing;

/// <summary>The shared spec validator (tests/FlinkOpsBot.Testing) proves here that it can fail, and fails for the right reasons.</summary>
public sealed class OpenApiSchemaValidatorTests
{
    private static readonly string FlinkSpec = Path.Combine(RepoPaths.Specs, "flink", "rest_v1_dispatcher.flink-1.20.yml");
    private static readonly OpenApiSchemaValidator Spec = OpenApiSchemaValidator.Load(FlinkSpec);

    [Fact]
    public void Validate_WrongTypeAndEnum_ReportsEachWithItsPath()
    {
        var errors = Spec.Validate("/overview", "get", 200, """{"taskmanagers":"4","slots-total":32}""");

        Assert.Equal(["taskmanagers: Invalid type. Expected Integer but got String."], errors);
    }

    [Fact]
    public void Validate_ReferencedSchema_IsResolved()
    {
        var errors = Spec.Validate("/jobs/{jobid}/status", "GET", 200, """{"status":"RUNNING_FAST"}""");

        Assert.Contains(errors, error => error.StartsWith("status: Value \"RUNNING_FAST\" is not defined in enum", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NullWhereSpecSaysObject_IsAnError()
    {
        var errors = Spec.Validate("/jobs/{jobid}/checkpoints", "get", 200, """{"latest":{"restored":null}}""");

        Assert.Equal(["latest.restored: Invalid type. Expected Object but got Null."], errors);
    }

    [Fact]
    public void Validate_PatchWithNullable_AcceptsNullAndStillChecksTheObject()
    {
        var patched = OpenApiSchemaValidator.Load(FlinkSpec, new SpecPatch(
            "/components/schemas/LatestCheckpoints/properties/restored",
            """{"$ref":"#/components/schemas/RestoredCheckpointStatistics","nullable":true}""",
            "test"));

        Assert.Empty(patched.Validate("/jobs/{jobid}/checkpoints", "get", 200, """{"latest":{"restored":null}}"""));
        Assert.NotEmpty(patched.Validate("/jobs/{jobid}/checkpoints", "get", 200, """{"latest":{"restored":{"id":"7"}}}"""));
    }

    [Fact]
    public void Validate_NullableTypedProperty_AcceptsNull()
    {
        var patched = OpenApiSchemaValidator.Load(FlinkSpec, new SpecPatch(
            "/components/schemas/JobStatusInfo/properties/status", """{"type":"string","enum":["RUNNING"],"nullable":true}""", "test"));

        Assert.Empty(patched.Validate("/jobs/{jobid}/status", "get", 200, """{"status":null}"""));
        Assert.NotEmpty(patched.Validate("/jobs/{jobid}/status", "get", 200, """{"status":"FAILED"}"""));
    }

    [Fact]
    public void Load_PatchPointingAtNothing_Throws()
    {
        Assert.Throws<ArgumentException>(() => OpenApiSchemaValidator.Load(
            FlinkSpec, new SpecPatch("/components/schemas/NoSuchSchema/properties/x", "{}", "test")));
    }

    [Fact]
    public void Validate_ResponseNotInSpec_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Spec.Validate("/jobs/{jobid}", "delete", 200, "{}"));

        Assert.Contains("DELETE /jobs/{jobid} 200", error.Message);
    }

    [Fact]
    public void AssertValid_InvalidBody_FailsListingErrorsAndPatches()
    {
        var patched = OpenApiSchemaValidator.Load(FlinkSpec, new SpecPatch("/components/schemas/JobStatusInfo", """{"type":"object"}""", "because the wire says so"));

        var failure = Assert.Throws<FailException>(() => patched.AssertValid("/overview", "get", 200, """{"jobs-failed":true}"""));

        Assert.Contains("jobs-failed: Invalid type. Expected Integer but got Boolean.", failure.Message);
        Assert.Contains("/components/schemas/JobStatusInfo: because the wire says so", failure.Message);
    }

    [Fact]
    public void JsonSchemaAssert_AdaptiveCard_ValidPassesAndInvalidFails()
    {
        var schema = Path.Combine(RepoPaths.Specs, "adaptive-cards", "adaptive-card-1.5.0.json");

        JsonSchemaAssert.Valid(schema, """{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"orders-enricher"}]}""");
        Assert.Throws<FailException>(() => JsonSchemaAssert.Valid(schema, """{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","txt":"x"}]}"""));
    }
}
