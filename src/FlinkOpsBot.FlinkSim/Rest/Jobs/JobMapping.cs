using FlinkOpsBot.FlinkSim.Engine;
using static FlinkOpsBot.FlinkSim.Rest.FlinkHttp;

namespace FlinkOpsBot.FlinkSim.Rest.Jobs;

/// <summary>Jobs as the job endpoints show them.</summary>
internal static class JobMapping
{
    // Records each subtask handles per second while running, and their size: enough to make the metrics move.
    private const long RecordsPerSecond = 250;
    private const long BytesPerRecord = 180;
    private const double BusyRatio = 0.35;

    public static JobDetails Overview(Job job, DateTimeOffset now)
    {
        var tasks = new Dictionary<string, int>(StringComparer.Ordinal) { ["total"] = job.Graph.Subtasks };
        foreach (var (state, count) in TasksPerState(job, job.Graph.Subtasks)) tasks[state.ToLowerInvariant()] = count;
        return new JobDetails(
            job.JobId, job.Name, Millis(job.StartTime), EndTime(job), Duration(job.StartTime, job, now), job.Status,
            Millis(job.LastModified), tasks);
    }

    public static JobDetailsInfo Details(Job job, DateTimeOffset now)
    {
        var runningSince = job.EnteredAt(JobStatus.Running);
        var vertices = job.Graph.Vertices.Select((vertex, index) => new JobVertexInfo(
            vertex.Id, job.Graph.SlotSharingGroupId, vertex.Name, vertex.MaxParallelism, vertex.Parallelism,
            ExecutionState.Of(job.Status),
            runningSince is { } start ? Millis(start) : -1,
            EndTime(job),
            runningSince is { } since ? Duration(since, job, now) : -1,
            TasksPerState(job, vertex.Parallelism),
            Metrics(job, index, runningSince, now))).ToList();

        return new JobDetailsInfo(
            job.JobId, job.Name, IsStoppable: false, job.Status, JobType: "STREAMING", Millis(job.StartTime), EndTime(job),
            Duration(job.StartTime, job, now), MaxParallelism: -1, Millis(now),
            JobStatus.All.ToDictionary(status => status, status => job.EnteredAt(status) is { } at ? Millis(at) : 0L),
            vertices, TasksPerState(job, job.Graph.Vertices.Count), Plan(job));
    }

    /// <summary>
    /// The exception history, newest first, at most <paramref name="maxExceptions"/>. The simulation has no failure
    /// enrichers, so its failures carry no labels and any label filter leaves none.
    /// </summary>
    public static JobExceptionsInfoWithHistory Exceptions(Job job, int maxExceptions, bool filterByLabels)
    {
        IReadOnlyList<JobFailure> matching = filterByLabels ? [] : job.Exceptions;
        var entries = matching.Take(maxExceptions).Select(failure => new RootExceptionInfo(
            failure.Error.ClassName, failure.Error.StackTrace, Millis(failure.At), failure.TaskName, failure.Endpoint,
            failure.Endpoint, failure.TaskManagerId, new Dictionary<string, string>(), [])).ToList();
        return new JobExceptionsInfoWithHistory(
            RootException: null, Timestamp: null, AllExceptions: [], Truncated: false,
            new JobExceptionHistory(entries, Truncated: matching.Count > maxExceptions));
    }

    private static Dictionary<string, int> TasksPerState(Job job, int count)
    {
        var current = ExecutionState.Of(job.Status);
        return ExecutionState.All.ToDictionary(state => state, state => state == current ? count : 0, StringComparer.Ordinal);
    }

    private static IoMetrics Metrics(Job job, int vertexIndex, DateTimeOffset? runningSince, DateTimeOffset now)
    {
        var running = runningSince is { } since ? (job.EndTime ?? now) - since : TimeSpan.Zero;
        var records = (long)running.TotalSeconds * RecordsPerSecond * job.Parallelism;
        var isSource = vertexIndex == 0;
        var isSink = vertexIndex == job.Graph.Vertices.Count - 1;
        var readRecords = isSource ? 0 : records;
        var writeRecords = isSink ? 0 : records;
        var subtaskMillis = running.TotalMilliseconds * job.Parallelism;
        return new IoMetrics(
            readRecords * BytesPerRecord, true, writeRecords * BytesPerRecord, true, readRecords, true, writeRecords, true,
            AccumulatedBackpressuredTime: 0, AccumulatedIdleTime: (long)(subtaskMillis * (1 - BusyRatio)), AccumulatedBusyTime: subtaskMillis * BusyRatio);
    }

    private static JobPlan Plan(Job job) => new(
        job.JobId, job.Name, "STREAMING",
        job.Graph.Vertices.Select((vertex, index) => new PlanNode(
            vertex.Id, vertex.Parallelism, "", "", vertex.Name,
            index == 0 ? null : [new PlanInput(0, job.Graph.Vertices[index - 1].Id, index == 1 ? "HASH" : "FORWARD", "pipelined_bounded")],
            new Dictionary<string, string>())).ToList());

    private static long EndTime(Job job) => job.EndTime is { } end ? Millis(end) : -1;

    private static long Duration(DateTimeOffset from, Job job, DateTimeOffset now) => Millis((job.EndTime ?? now) - from);
}
