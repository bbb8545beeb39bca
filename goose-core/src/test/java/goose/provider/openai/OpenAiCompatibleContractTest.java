package goose.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import goose.provider.ProviderContractTest;
import goose.provider.fake.FakeHttpServer;
import goose.provider.fake.FakeOpenAiServer;
import goose.provider.fake.FakeReply;

/** The provider contract for everything spoken through the Chat Completions wire format. */
abstract class OpenAiCompatibleContractTest extends ProviderContractTest {

  @Override
  protected FakeHttpServer newFake() {
    return new FakeOpenAiServer();
  }

  @Override
  protected FakeReply.Stream text(String... chunks) {
    return FakeOpenAiServer.text(chunks);
  }

  @Override
  protected FakeReply.Stream toolCall(String id, String name, String... argumentFragments) {
    return FakeOpenAiServer.script()
        .text("Let me look.")
        .toolCall(0, id, name, argumentFragments)
        .build();
  }

  @Override
  protected FakeReply.Status rateLimited(int retryAfterSeconds) {
    return FakeOpenAiServer.rateLimited(retryAfterSeconds);
  }

  @Override
  protected FakeReply.Status serverError() {
    return FakeOpenAiServer.serverError();
  }

  @Override
  protected FakeReply.Status contextTooLong() {
    return FakeOpenAiServer.contextTooLong();
  }

  @Override
  protected JsonNode sentToolSchema(JsonNode body, int index) {
    return body.path("tools").path(index).path("function").path("parameters");
  }
}
