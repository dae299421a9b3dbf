using System.Text.Json;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Flink.Rest;

namespace FlinkOpsBot.Flink.Tests.Rest;

// Shapes FlinkSim does not produce: other Flink versions' variants, read straight from wire text.
public class FlinkMappingTests
{
    private const string Entry1x = """
        {"exceptionName":"java.lang.RuntimeException","stacktrace":"java.lang.RuntimeException: poison record at offset 42\n\tat com.acme.Enricher.map(Enricher.java:17)",
         "timestamp":1768467600000,"taskName":"Enrich (2/4)","location":"10.0.0.7:41234","taskManagerId":"tm-1","failureLabels":{},"concurrentExceptions":[]}
        """;

    private const string Entry2x = """
        {"exceptionName":"java.lang.RuntimeException","stacktrace":"java.lang.RuntimeException: poison record at offset 42\n\tat com.acme.Enricher.map(Enricher.java:17)",
         "timestamp":1768467600000,"taskName":"Enrich (2/4)","endpoint":"10.0.0.7:41234","taskManagerId":"tm-1","failureLabels":{},"concurrentExceptions":[]}
        """;

    public static TheoryData<string> ExceptionBodies => new()
    {
        // Flink 1.13–1.20: deprecated top-level fields beside the history; entries carry "location".
        $$$"""{"root-exception":"java.lang.RuntimeException: poison record at offset 42\n\tat ...","timestamp":1768467600000,"all-exceptions":[],"truncated":false,"exceptionHistory":{"entries":[{{{Entry1x}}}],"truncated":false}}""",
        // Flink 2.x: the history only; entries carry "endpoint".
        $$$"""{"exceptionHistory":{"entries":[{{{Entry2x}}}],"truncated":false}}""",
    };

    [Theory]
    [MemberData(nameof(ExceptionBodies))]
    public void ToJobExceptions_Flink1xOr2xShape_ReadsTheHistory(string json)
    {
        var exceptions = FlinkMapping.ToJobExceptions(Read(json, FlinkJsonContext.Default.JobExceptionsDto), max: 5);

        var only = Assert.Single(exceptions);
        Assert.Equal(new JobException("RuntimeException: poison record at offset 42", DateTimeOffset.FromUnixTimeMilliseconds(1768467600000), "Enrich (2/4)"), only);
    }

    [Fact]
    public void ToCheckpointStats_CheckpointNotExternallyAddressable_HasNoPath()
    {
        const string json = """
            {"counts":{"restored":0,"total":1,"in_progress":0,"completed":1,"failed":0},
             "latest":{"completed":{"className":"completed","id":7,"status":"COMPLETED","is_savepoint":false,"trigger_timestamp":1768467600000,
                       "latest_ack_timestamp":1768467601500,"external_path":"<checkpoint-not-externally-addressable>","discarded":false},
                       "savepoint":null,"failed":null,"restored":null},
             "history":[]}
            """;

        var stats = FlinkMapping.ToCheckpointStats(Read(json, FlinkJsonContext.Default.CheckpointingStatisticsDto));

        Assert.NotNull(stats.LatestCompleted);
        Assert.Null(stats.LatestCompleted.ExternalPath);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1768467601500), stats.LatestCompleted.CompletedAt);
    }

    [Fact]
    public void Read_JobDetailsWithoutRequiredField_Throws()
    {
        const string json = """{"jid":"5a1d2c3b4e5f60718293a4b5c6d7e8f9","name":"orders-enricher","state":"RUNNING","start-time":1768467600000,"end-time":-1}""";

        Assert.Throws<JsonException>(() => Read(json, FlinkJsonContext.Default.JobDetailsDto));
    }

    private static T Read<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidOperationException("null body");
}
