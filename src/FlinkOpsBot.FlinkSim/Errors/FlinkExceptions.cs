namespace FlinkOpsBot.FlinkSim.Errors;

/// <summary>
/// The exceptions real Flink 1.20 raises for the situations FlinkSim simulates: class names and messages follow
/// Flink's handlers (<c>JobCancellationHandler</c>, <c>SavepointHandlers</c>, <c>JarRunHandler</c>, <c>Dispatcher</c>);
/// the frames are invented but shaped like the real ones.
/// </summary>
internal static class FlinkExceptions
{
    private const string RestHandlerException = "org.apache.flink.runtime.rest.handler.RestHandlerException";
    private const string CheckpointException = "org.apache.flink.runtime.checkpoint.CheckpointException";

    private static readonly string[] HandlerFrames =
    [
        "org.apache.flink.runtime.rest.handler.AbstractRestHandler.respondToRequest(AbstractRestHandler.java:83)",
        "org.apache.flink.runtime.rest.handler.AbstractHandler.respondAsLeader(AbstractHandler.java:196)",
        "org.apache.flink.runtime.rest.handler.LeaderRetrievalHandler.lambda$channelRead0$0(LeaderRetrievalHandler.java:83)",
        "java.base/java.util.Optional.ifPresent(Optional.java:178)",
    ];

    private static readonly string[] DispatcherFrames =
    [
        "org.apache.flink.runtime.dispatcher.Dispatcher.lambda$requestJobStatus$22(Dispatcher.java:1012)",
        "java.base/java.util.Optional.orElseGet(Optional.java:364)",
        "org.apache.flink.runtime.rpc.pekko.PekkoRpcActor.handleRpcInvocation(PekkoRpcActor.java:309)",
    ];

    private static readonly string[] CheckpointFrames =
    [
        "org.apache.flink.runtime.checkpoint.CheckpointCoordinator.lambda$startTriggeringCheckpoint$7(CheckpointCoordinator.java:650)",
        "java.base/java.util.concurrent.CompletableFuture.uniHandle(CompletableFuture.java:934)",
        "org.apache.flink.runtime.rpc.pekko.PekkoRpcActor.handleRunAsync(PekkoRpcActor.java:460)",
    ];

    /// <summary>404 of the job read endpoints for a job the cluster does not know.</summary>
    public static JavaException JobNotFound(string jobId) => new(
        "org.apache.flink.runtime.rest.NotFoundException", $"Job {jobId} not found",
        ["org.apache.flink.runtime.rest.handler.job.AbstractExecutionGraphHandler.lambda$handleRequest$1(AbstractExecutionGraphHandler.java:99)", .. HandlerFrames],
        FlinkJobNotFound(jobId));

    /// <summary>The Dispatcher's answer for a job it does not know.</summary>
    public static JavaException FlinkJobNotFound(string jobId) => new(
        "org.apache.flink.runtime.messages.FlinkJobNotFoundException", $"Could not find Flink job ({jobId})", DispatcherFrames);

    /// <summary>404 of <c>PATCH /jobs/:jobid</c> for an unknown job.</summary>
    public static JavaException CancelJobNotFound(string jobId) =>
        Rest("Job could not be found.", FlinkJobNotFound(jobId));

    /// <summary>409 of <c>PATCH /jobs/:jobid</c> for a job that already FINISHED or FAILED.</summary>
    public static JavaException CancelConflict(string jobId, string status) => Rest(
        $"Job cancellation failed because the job has already reached another terminal state ({status}).",
        new JavaException(
            "org.apache.flink.runtime.messages.FlinkJobTerminatedWithoutCancellationException",
            $"Flink job ({jobId}) was not canceled, but instead {status}.", DispatcherFrames));

    /// <summary>308 of <c>PATCH /jobs/:jobid?mode=stop</c>.</summary>
    public static JavaException StopModeRemoved() => Rest(
        "The termination mode \"stop\" has been removed. For an ungraceful shutdown, please use \"cancel\" instead. "
        + "For a graceful shutdown, please use \"jobs/:jobId/stop\" instead.");

    /// <summary>400 for a path parameter that does not parse (e.g. a job id that is not 32 hex characters).</summary>
    public static JavaException BadPathParameter(string name, string value) =>
        Rest($"Bad request, could not parse parameters: Cannot resolve path parameter ({name}) from value \"{value}\".");

    /// <summary>400 for a query parameter that does not parse.</summary>
    public static JavaException BadQueryParameter(string name, string value) =>
        Rest($"Bad request, could not parse parameters: Cannot resolve query parameter ({name}) from value \"{value}\".");

    /// <summary>400 for a request body that is not the JSON the endpoint expects.</summary>
    public static JavaException BadRequestBody(string bodyClass, string detail) => Rest(
        $"Request did not match expected format {bodyClass}.",
        new JavaException(
            "org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.exc.MismatchedInputException", detail,
            ["org.apache.flink.runtime.rest.handler.AbstractHandler.respondAsLeader(AbstractHandler.java:170)"]));

    /// <summary>400 of a savepoint or stop without a target directory on a cluster without a default one.</summary>
    public static JavaException SavepointDirectoryMissing(string property) => Rest(
        $"Config key [execution.checkpointing.savepoint-dir] is not set. Property [{property}] must be provided.");

    /// <summary>404 of <c>GET /jobs/:jobid/savepoints/:triggerid</c> for an unknown or expired trigger id.</summary>
    public static JavaException UnknownSavepointTrigger(string triggerId, string jobId) =>
        Rest($"There is no savepoint operation with triggerId={triggerId} for job {jobId}.");

    /// <summary>400 of <c>POST /jars/:jarid/run</c> for a jar that was never uploaded (or was deleted).</summary>
    public static JavaException JarNotFound(string jarId) =>
        Rest($"Jar file /tmp/flink-web-7c5e8d61-4b1f-4c4e-9f0e-2a6b3f1d9e47/flink-web-upload/{jarId} does not exist");

    /// <summary>400 of <c>POST /jars/:jarid/run</c> when the job could not be submitted; the reason is the innermost cause.</summary>
    public static JavaException CouldNotExecuteApplication(string jobName, JavaException reason) => Rest(
        "Could not execute application.",
        new JavaException(
            "java.util.concurrent.CompletionException", "org.apache.flink.util.FlinkRuntimeException: Could not execute application.",
            ["java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:315)"],
            new JavaException(
                "org.apache.flink.client.program.ProgramInvocationException", $"The main method caused an error: Failed to execute job '{jobName}'.",
                ["org.apache.flink.client.program.PackagedProgram.callMainMethod(PackagedProgram.java:373)"],
                new JavaException(
                    "org.apache.flink.util.FlinkException", $"Failed to execute job '{jobName}'.",
                    ["org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.executeAsync(StreamExecutionEnvironment.java:2455)"],
                    reason))));

    /// <summary>The Dispatcher's refusal of a job id it already knows.</summary>
    public static JavaException DuplicateJobSubmission() => new(
        "org.apache.flink.runtime.client.DuplicateJobSubmissionException", "Job has already been submitted.",
        ["org.apache.flink.runtime.dispatcher.Dispatcher.submitJob(Dispatcher.java:531)", .. DispatcherFrames]);

    /// <summary>A restore from a path that holds no savepoint or retained checkpoint.</summary>
    public static JavaException SavepointPathNotFound(string path) => new(
        "org.apache.flink.runtime.client.JobInitializationException", "Could not start the JobMaster.",
        ["org.apache.flink.runtime.jobmaster.DefaultJobMasterServiceProcess.lambda$new$0(DefaultJobMasterServiceProcess.java:97)"],
        new JavaException(
            "java.io.FileNotFoundException",
            $"Cannot find checkpoint or savepoint file/directory '{path}' on file system '{Scheme(path)}'.",
            ["org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess.resolveCheckpointPointer(AbstractFsCheckpointStorageAccess.java:281)"]));

    /// <summary>Why a savepoint of a job that is not RUNNING fails.</summary>
    public static JavaException NotAllTasksRunning(string jobId, string taskName) => new(
        CheckpointException,
        $"Checkpoint triggering task {taskName} of job {jobId} is not being executed at the moment. "
        + "Aborting checkpoint. Failure reason: Not all required tasks are currently running.", CheckpointFrames);

    /// <summary>Why a pending checkpoint or savepoint fails when its job stops running.</summary>
    public static JavaException CoordinatorSuspending() => new(CheckpointException, "Checkpoint Coordinator is suspending.", CheckpointFrames);

    /// <summary>A checkpoint or savepoint failure with the given reason (fault injection).</summary>
    public static JavaException CheckpointFailed(string message) => new(CheckpointException, message, CheckpointFrames);

    /// <summary>How a failed savepoint or stop reaches the status endpoint: wrapped in the future's exception.</summary>
    public static JavaException AsOperationFailure(JavaException reason) => new(
        "java.util.concurrent.CompletionException", reason.FirstLine,
        ["java.base/java.util.concurrent.CompletableFuture.encodeRelay(CompletableFuture.java:368)"], reason);

    /// <summary>The failure of a faulty user function, as a task reports it.</summary>
    public static JavaException UserFunctionFailure(string entryClass) => new(
        "java.lang.NullPointerException", "Cannot invoke \"String.length()\" because \"value\" is null",
        [
            $"{entryClass}$EnrichFunction.processElement({ShortName(entryClass)}.java:87)",
            "org.apache.flink.streaming.api.operators.KeyedProcessOperator.processElement(KeyedProcessOperator.java:83)",
            "org.apache.flink.streaming.runtime.tasks.OneInputStreamTask$StreamTaskNetworkOutput.emitRecord(OneInputStreamTask.java:238)",
            "org.apache.flink.streaming.runtime.tasks.StreamTask.processInput(StreamTask.java:579)",
            "org.apache.flink.runtime.taskmanager.Task.run(Task.java:566)",
            "java.base/java.lang.Thread.run(Thread.java:840)",
        ]);

    /// <summary>The failure of a job whose state no longer fits its code, as a task reports it on restore.</summary>
    public static JavaException StateRestoreFailure(string entryClass) => new(
        "java.lang.Exception", "Exception while creating StreamOperatorStateContext.",
        [
            "org.apache.flink.streaming.api.operators.StreamTaskStateInitializerImpl.streamOperatorStateContext(StreamTaskStateInitializerImpl.java:294)",
            "org.apache.flink.streaming.runtime.tasks.StreamTask.restoreInternal(StreamTask.java:731)",
            "org.apache.flink.runtime.taskmanager.Task.run(Task.java:566)",
        ],
        new JavaException(
            "org.apache.flink.util.StateMigrationException",
            $"The new state serializer ({entryClass}$EnrichedOrderSerializer) must not be incompatible with the old state serializer ({entryClass}$OrderSerializer).",
            ["org.apache.flink.contrib.streaming.state.RocksDBKeyedStateBackend.updateRestoredStateMetaInfo(RocksDBKeyedStateBackend.java:769)"]));

    /// <summary>The failure of a sink that cannot reach its external system, as a task reports it (a restart loop).</summary>
    public static JavaException SinkConnectionFailure(string entryClass) => new(
        "org.apache.flink.util.FlinkRuntimeException", "Failed to send records to the sink: connection refused by kafka-broker-2.kafka.svc:9092",
        [
            $"{entryClass}$KafkaSinkWriter.flush({ShortName(entryClass)}.java:142)",
            "org.apache.flink.streaming.runtime.operators.sink.SinkWriterOperator.prepareSnapshotPreBarrier(SinkWriterOperator.java:166)",
            "org.apache.flink.streaming.runtime.tasks.StreamTask.processInput(StreamTask.java:579)",
            "org.apache.flink.runtime.taskmanager.Task.run(Task.java:566)",
        ],
        new JavaException("java.net.ConnectException", "Connection refused", ["java.base/sun.nio.ch.Net.pollConnect(Native Method)"]));

    /// <summary>
    /// The failure of a source that reads a record it cannot deserialize (a poison record), as a task reports it: the
    /// reader's IOException, caused by the JSON parser's error on the record.
    /// </summary>
    public static JavaException PoisonRecordFailure(string entryClass) => new(
        "java.io.IOException", "Failed to deserialize consumer record due to",
        [
            "org.apache.flink.connector.kafka.source.reader.KafkaRecordEmitter.emitRecord(KafkaRecordEmitter.java:56)",
            "org.apache.flink.connector.base.source.reader.SourceReaderBase.pollNext(SourceReaderBase.java:203)",
            "org.apache.flink.streaming.runtime.tasks.StreamTask.processInput(StreamTask.java:579)",
            "org.apache.flink.runtime.taskmanager.Task.run(Task.java:566)",
        ],
        new JavaException(
            "org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParseException",
            "Unexpected character ('}' (code 125)): was expecting double-quote to start field name at [Source: (byte[])\"{\"paymentId\":\"p-88123\",}\"; line: 1, column: 24]",
            [
                $"{entryClass}$PaymentDeserializer.deserialize({ShortName(entryClass)}.java:64)",
                "org.apache.flink.connector.kafka.source.reader.deserializer.KafkaValueOnlyDeserializationSchemaWrapper.deserialize(KafkaValueOnlyDeserializationSchemaWrapper.java:51)",
            ]));

    /// <summary>
    /// Why a job restored from a snapshot whose state belongs to an operator the new program lacks cannot start without
    /// <c>allowNonRestoredState</c> (Flink's <c>Checkpoints.loadAndValidateCheckpoint</c>).
    /// </summary>
    public static JavaException CannotMapState(string path, string vertexId) => new(
        "org.apache.flink.runtime.client.JobInitializationException", "Could not start the JobMaster.",
        ["org.apache.flink.runtime.jobmaster.DefaultJobMasterServiceProcess.lambda$new$0(DefaultJobMasterServiceProcess.java:97)"],
        new JavaException(
            "java.lang.IllegalStateException",
            $"Failed to rollback to checkpoint/savepoint {path}. Cannot map checkpoint/savepoint state for operator {vertexId} to the new program, "
            + "because the operator is not available in the new program. If you want to allow to skip this, you can set the "
            + "--allowNonRestoredState option on the CLI.",
            ["org.apache.flink.runtime.checkpoint.Checkpoints.throwNonRestoredStateException(Checkpoints.java:240)"]));

    /// <summary>What the default scheduler throws for reading or changing resource requirements (a 500 on the wire).</summary>
    public static JavaException SchedulerUnsupported() => new(
        "java.lang.UnsupportedOperationException",
        "The DefaultScheduler does not support changing the parallelism without a job restart. This feature is currently only expected to work with the AdaptiveScheduler.",
        ["org.apache.flink.runtime.scheduler.SchedulerNG.requestJobResourceRequirements(SchedulerNG.java:250)", .. DispatcherFrames]);

    /// <summary>400 of <c>PUT /jobs/:jobid/resource-requirements</c>: every validation error, one per line.</summary>
    public static JavaException InvalidResourceRequirements(IEnumerable<string> errors) =>
        Rest("The resource requirements are invalid:\n" + string.Join("\n", errors));

    /// <summary>The second entry of the error body of an unhandled exception (the first is "Internal server error.").</summary>
    public static string ServerSide(JavaException error) =>
        "<Exception on server side:\n" + new JavaException("java.util.concurrent.CompletionException", error.FirstLine,
            ["java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:315)"], error).StackTrace
        + "\n\nEnd of exception on server side>";

    /// <summary>The body of a 503 during leader election (a plain message, no trace).</summary>
    public const string LeaderElection = "Service temporarily unavailable due to an ongoing leader election. Please refresh.";

    /// <summary>The second entry of an unhandled error's body (the first is "Internal server error.").</summary>
    public static string InternalServerError() =>
        "<Exception on server side:\n" + new JavaException(
            "java.util.concurrent.TimeoutException", "Invocation of [RemoteRpcInvocation(null.requestJob(JobID, Duration))] at recipient [pekko.tcp://flink@jobmanager:6123/user/rpc/dispatcher_0] timed out.",
            ["org.apache.flink.runtime.rpc.pekko.PekkoInvocationHandler.lambda$invokeRpc$1(PekkoInvocationHandler.java:260)"]).StackTrace
        + "\n\nEnd of exception on server side>";

    private static JavaException Rest(string message, JavaException? cause = null) =>
        new(RestHandlerException, message, HandlerFrames, cause);

    private static string Scheme(string path) => path.IndexOf("://", StringComparison.Ordinal) is > 0 and var end ? path[..end] : "file";

    private static string ShortName(string className) => className[(className.LastIndexOf('.') + 1)..];
}
