using FlinkOpsBot.Core.Checks;

namespace FlinkOpsBot.Core.Tests.Checks;

public sealed class DiagnosisClassifierTests
{
    [Theory]
    // Data: the root cause decides, even under an IOException.
    [InlineData("IOException: Failed to deserialize consumer record due to", "JsonParseException: Unexpected character ('}' (code 125))", FailureCategory.Data)]
    [InlineData("FlinkRuntimeException: Error while processing", "NumberFormatException: For input string: \"12,5\"", FailureCategory.Data)]
    [InlineData("SerializationException: Error deserializing key/value for partition orders-3 at offset 88123", null, FailureCategory.Data)]
    [InlineData("RuntimeException: poison record at offset 42", null, FailureCategory.Data)]
    // External systems.
    [InlineData("FlinkRuntimeException: Failed to send records to the sink", "ConnectException: Connection refused", FailureCategory.ExternalSystem)]
    [InlineData("TimeoutException: Timeout of 60000ms expired before the position for partition orders-0 could be determined", null, FailureCategory.ExternalSystem)]
    [InlineData("IOException: Could not flush and close the file system output stream to s3://bucket/chk-42", "AmazonS3Exception: Slow Down (Status Code: 503)", FailureCategory.ExternalSystem)]
    [InlineData("KafkaException: Failed to construct kafka producer", null, FailureCategory.ExternalSystem)]
    // Code.
    [InlineData("NullPointerException: Cannot invoke \"String.length()\" because \"value\" is null", null, FailureCategory.Code)]
    [InlineData("RuntimeException: Could not instantiate operator", "ClassNotFoundException: com.example.flink.Enricher", FailureCategory.Code)]
    [InlineData("NoSuchMethodError: 'void org.apache.kafka.clients.producer.KafkaProducer.<init>(java.util.Properties)'", null, FailureCategory.Code)]
    [InlineData("IllegalStateException: Timer service not initialized", null, FailureCategory.Code)]
    [InlineData("Exception: Exception while creating StreamOperatorStateContext.", "StateMigrationException: The new state serializer must not be incompatible", FailureCategory.Code)]
    // Resources.
    [InlineData("OutOfMemoryError: Java heap space", null, FailureCategory.Resources)]
    [InlineData("TimeoutException: Heartbeat of TaskManager with id 10.0.0.7:6122-1a2b timed out.", "heartbeat of TaskManager timed out", FailureCategory.Resources)]
    // Nothing matched.
    [InlineData("RuntimeException: something odd", null, FailureCategory.Unknown)]
    [InlineData(null, null, FailureCategory.Unknown)]
    public void Classify_Exception_Category(string? exception, string? rootCause, FailureCategory expected)
    {
        var classification = DiagnosisClassifier.Classify(exception, rootCause);

        Assert.Equal(expected, classification.Category);
        Assert.False(string.IsNullOrWhiteSpace(classification.Advice));
    }

    [Fact]
    public void Classify_Match_NamesTheRuleAndLabel()
    {
        var classification = DiagnosisClassifier.Classify("IOException: read failed", "UnknownHostException: kafka-broker-9");

        Assert.Equal(("UnknownHostException", "external system"), (classification.Matched, classification.Label));
    }
}
