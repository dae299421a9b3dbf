using FlinkOpsBot.Flink.Rest;

namespace FlinkOpsBot.Flink.Tests.Rest;

public class FlinkErrorsTests
{
    // errors[0] as Flink 1.20 sends it for GET /jobs/:jobid of an unknown job (abridged).
    private const string NotFoundTrace =
        "org.apache.flink.runtime.rest.NotFoundException: Job 5a1d2c3b4e5f60718293a4b5c6d7e8f9 not found\n" +
        "\tat org.apache.flink.runtime.rest.handler.job.AbstractExecutionGraphHandler.lambda$handleRequest$1(AbstractExecutionGraphHandler.java:99)\n" +
        "\tat java.base/java.util.concurrent.CompletableFuture.uniExceptionally(CompletableFuture.java:990)\n" +
        "Caused by: org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job (5a1d2c3b4e5f60718293a4b5c6d7e8f9)\n" +
        "\tat org.apache.flink.runtime.dispatcher.Dispatcher.lambda$requestExecutionGraphInfo$61(Dispatcher.java:1188)\n" +
        "\t... 43 more\n";

    [Fact]
    public void FirstLine_JavaStackTrace_KeepsClassSimpleNameAndMessageOnly()
    {
        var line = FlinkErrors.FirstLine(NotFoundTrace);

        Assert.Equal("NotFoundException: Job 5a1d2c3b4e5f60718293a4b5c6d7e8f9 not found", line);
    }

    [Fact]
    public void FirstLine_FutureWrappers_ShowsTheWrappedException()
    {
        const string trace =
            "java.util.concurrent.CompletionException: java.util.concurrent.CompletionException: " +
            "org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint Coordinator is suspending.\r\n" +
            "\tat java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:332)\r\n";

        Assert.Equal("CheckpointException: Checkpoint Coordinator is suspending.", FlinkErrors.FirstLine(trace));
    }

    [Fact]
    public void FirstLine_MessageWithPathsAndHosts_LeavesThemIntact()
    {
        const string trace =
            "org.apache.flink.runtime.scheduler.stopwithsavepoint.StopWithSavepointStoppingException: A savepoint has been created at: " +
            "s3://flink.example.com/savepoints/savepoint-5a1d2c-0123456789ab, but the corresponding job failed during stopping.\n\tat x.Y.z(Y.java:1)";

        Assert.Equal(
            "StopWithSavepointStoppingException: A savepoint has been created at: " +
            "s3://flink.example.com/savepoints/savepoint-5a1d2c-0123456789ab, but the corresponding job failed during stopping.",
            FlinkErrors.FirstLine(trace));
    }

    [Fact]
    public void FirstLine_PlainMessageAfterBlankLines_ReturnsItTrimmed()
    {
        Assert.Equal("Internal server error.", FlinkErrors.FirstLine("\n  Internal server error.  \nmore"));
    }

    [Fact]
    public void FirstLine_OverlongLine_IsCutToMaxLengthWithEllipsis()
    {
        var line = FlinkErrors.FirstLine("java.lang.IllegalStateException: " + new string('x', 2 * FlinkErrors.MaxLength));

        Assert.Equal(FlinkErrors.MaxLength, line.Length);
        Assert.StartsWith("IllegalStateException: xxx", line, StringComparison.Ordinal);
        Assert.EndsWith("…", line, StringComparison.Ordinal);
    }
}
