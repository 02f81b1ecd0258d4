import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local as its own main class does, but listening on 127.0.0.1 only: the jar has
 * no host option and binds every interface, and nothing of ours may listen beyond loopback.
 * Takes DynamoDB Local's own command-line arguments.
 */
public class DynamoDbLocalOnLoopback {
  /**
   * The parent holds our stdin open; when it dies, even by SIGKILL, stdin ends and so do we, so
   * no Java process outlives the test run or `npm start` that started it.
   */
  private static void exitWhenParentGoes() {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Nothing is ever sent; reading only waits for the end of the stream.
        }
      } catch (java.io.IOException ignored) {
        // A broken pipe means the parent is gone as well.
      }
      System.exit(0);
    });
    watcher.setDaemon(true);
    watcher.start();
  }

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof ServerConnector) {
        ((ServerConnector) connector).setHost("127.0.0.1");
      }
    }
    exitWhenParentGoes();
    proxy.start();
    proxy.join();
  }
}
