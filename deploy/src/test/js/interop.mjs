// Confluent's own JavaScript schema-registry clients against meshbone, driven by deploy's
// JsClientsInteropIT. Usage: node interop.mjs <scenario> '<json arguments>'.
// Each scenario prints one line "RESULT <json>" on success; any failure exits non-zero with the
// error on stderr.
import {
  AvroDeserializer,
  AvroSerializer,
  RestError,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';

const [scenario, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs ?? '{}');

/** What the registry refused: the error's HTTP status and Confluent error code. */
async function refusal(promise) {
  try {
    await promise;
    return { refused: false };
  } catch (e) {
    if (e instanceof RestError) {
      return { refused: true, status: e.status, errorCode: e.errorCode };
    }
    return { refused: true, status: e.status, errorCode: e.errorCode, message: String(e) };
  }
}

function confluentClient() {
  return new SchemaRegistryClient({ baseURLs: [args.registryUrl], cacheCapacity: 100 });
}

const scenarios = {
  /**
   * A secured registry: with basic.auth.user.info (Confluent's USER_INFO source) the client
   * registers under its own domain's subject; under another domain's subject it is refused with
   * 403 / 40301, and without credentials with 401 / 40101.
   */
  async confluentSecured() {
    const { subject, othersSubject, schema, userInfo } = args;
    const client = new SchemaRegistryClient({
      baseURLs: [args.registryUrl],
      cacheCapacity: 100,
      basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo },
      maxRetries: 0,
    });
    const id = await client.register(subject, { schemaType: 'AVRO', schema }, false);
    const latest = await client.getLatestSchemaMetadata(subject);
    const others = await refusal(client.register(othersSubject, { schemaType: 'AVRO', schema }, false));
    const anonymous = await refusal(
      new SchemaRegistryClient({ baseURLs: [args.registryUrl], maxRetries: 0 }).register(
        subject,
        { schemaType: 'AVRO', schema },
        false,
      ),
    );
    return { id, latestId: latest.id, others, anonymous };
  },

  /** The client API of @confluentinc/schemaregistry, call by call. */
  async confluentClient() {
    const client = confluentClient();
    const { subject, schema, evolved, incompatible } = args;
    const id = await client.register(subject, { schemaType: 'AVRO', schema }, false);
    const lookedUp = await client.getId(subject, { schemaType: 'AVRO', schema }, false);
    const latest = await client.getLatestSchemaMetadata(subject);
    const byId = await client.getBySubjectAndId(subject, id);
    const compatible = await client.testCompatibility(subject, 1, { schemaType: 'AVRO', schema: evolved });
    const notCompatible = await client.testSubjectCompatibility(subject, { schemaType: 'AVRO', schema: incompatible });
    const evolvedId = await client.register(subject, { schemaType: 'AVRO', schema: evolved }, false);
    const rejected = await refusal(client.register(subject, { schemaType: 'AVRO', schema: incompatible }, false));
    const versions = await client.getAllVersions(subject);
    const version2 = await client.getSchemaMetadata(subject, 2);
    const level = await client.updateCompatibility(subject, 'FULL');
    const levelRead = await client.getCompatibility(subject);
    const unknownSubject = await refusal(client.getLatestSchemaMetadata(args.unknownSubject));
    const subjects = await client.getAllSubjects();
    return {
      id,
      lookedUp,
      latest: { id: latest.id, version: latest.version, subject: latest.subject, schema: latest.schema },
      byIdSchema: byId.schema,
      compatible,
      notCompatible,
      evolvedId,
      rejected,
      versions,
      version2: { id: version2.id, version: version2.version },
      level,
      levelRead,
      unknownSubject,
      hasSubject: subjects.includes(subject),
    };
  },

  /**
   * Confluent's Avro serializer for a product's ingest topic: it asks for the topic's association
   * (404), falls back to <topic>-value, which meshbone aliases to the product's subject; then the
   * deserializer reads it back by id.
   */
  async confluentSerde() {
    const client = confluentClient();
    const { topic, record, autoRegisterTopic, autoRegisterRecord } = args;
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
    const bytes = await serializer.serialize(topic, record);
    const deserializer = new AvroDeserializer(confluentClient(), SerdeType.VALUE, {});
    const decoded = await deserializer.deserialize(topic, bytes);
    // With auto-registration the serializer derives a schema from the record and registers it.
    const autoSerializer = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
    const autoBytes = await autoSerializer.serialize(autoRegisterTopic, autoRegisterRecord);
    const autoDecoded = await new AvroDeserializer(confluentClient(), SerdeType.VALUE, {}).deserialize(
      autoRegisterTopic,
      autoBytes,
    );
    return {
      magic: bytes[0],
      id: bytes.readInt32BE(1),
      decoded,
      autoId: autoBytes.readInt32BE(1),
      autoDecoded,
    };
  },

  /**
   * The common producer and consumer settings of Confluent's serde against contracts with MESH
   * rules, which this client has no executor for: latest version (auto-registration off), a fixed
   * schema id, plain auto-registration; the deserializer reads all of them back. A record that
   * breaks a rule still serializes (the client cannot check it; contract-validator does).
   */
  async confluentMeshRules() {
    const { topic, record, breaking, schemaId, autoTopic, autoRecord, strictTopic } = args;
    const latest = new AvroSerializer(confluentClient(), SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useLatestVersion: true,
    });
    const latestBytes = await latest.serialize(topic, record);
    const breakingBytes = await latest.serialize(topic, breaking);
    const byId = new AvroSerializer(confluentClient(), SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useSchemaId: schemaId,
    });
    const byIdBytes = await byId.serialize(topic, record);
    const auto = new AvroSerializer(confluentClient(), SerdeType.VALUE, { autoRegisterSchemas: true });
    const autoBytes = await auto.serialize(autoTopic, autoRecord);
    const reader = new AvroDeserializer(confluentClient(), SerdeType.VALUE, {});
    const decoded = [
      await reader.deserialize(topic, latestBytes),
      await reader.deserialize(topic, byIdBytes),
      await reader.deserialize(autoTopic, autoBytes),
    ];
    const latestReader = new AvroDeserializer(confluentClient(), SerdeType.VALUE, { useLatestVersion: true });
    const readAsLatest = await latestReader.deserialize(topic, byIdBytes);
    // A MESH rule that asks for ERROR on failure is honoured: the client refuses to write.
    let strict;
    try {
      await new AvroSerializer(confluentClient(), SerdeType.VALUE, {
        autoRegisterSchemas: false,
        useLatestVersion: true,
      }).serialize(strictTopic, record);
      strict = 'serialized';
    } catch (e) {
      strict = String(e?.message ?? e);
    }
    return {
      latestId: latestBytes.readInt32BE(1),
      breakingId: breakingBytes.readInt32BE(1),
      byIdId: byIdBytes.readInt32BE(1),
      autoId: autoBytes.readInt32BE(1),
      decoded,
      readAsLatest,
      strict,
      values: [latestBytes.toString('base64'), breakingBytes.toString('base64')],
    };
  },

  /** @kafkajs/confluent-schema-registry registering under a subject whose contract has MESH rules. */
  async kafkajsMeshRules() {
    const registry = new SchemaRegistry({ host: args.registryUrl });
    const { subject, schema, record } = args;
    const registered = await registry.register({ type: SchemaType.AVRO, schema }, { subject });
    const encoded = await registry.encode(registered.id, record);
    const decoded = await new SchemaRegistry({ host: args.registryUrl }).decode(encoded);
    return { id: registered.id, decoded };
  },

  /** @kafkajs/confluent-schema-registry: register (with its config calls), encode, decode. */
  async kafkajsClient() {
    const registry = new SchemaRegistry({ host: args.registryUrl });
    const { subject, schema, evolved, record } = args;
    const first = await registry.register({ type: SchemaType.AVRO, schema }, { subject });
    // A second registration reads the subject's level back and checks it matches BACKWARD.
    const second = await registry.register({ type: SchemaType.AVRO, schema: evolved }, { subject });
    const again = await registry.register({ type: SchemaType.AVRO, schema: evolved }, { subject });
    const latestId = await registry.getLatestSchemaId(subject);
    const version1Id = await registry.getRegistryId(subject, 1);
    const encoded = await registry.encode(second.id, record);
    const decoded = await new SchemaRegistry({ host: args.registryUrl }).decode(encoded);
    const byId = await new SchemaRegistry({ host: args.registryUrl }).getSchema(first.id);
    return {
      firstId: first.id,
      secondId: second.id,
      againId: again.id,
      latestId,
      version1Id,
      magic: encoded[0],
      encodedId: encoded.readInt32BE(1),
      decoded,
      schemaName: byId.name,
    };
  },

  /** Serializes records with Confluent's serializer and produces them to a real broker. */
  async produce() {
    const client = confluentClient();
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
    const kafka = new Kafka({ clientId: 'meshbone-interop', brokers: args.brokers, logLevel: logLevel.ERROR });
    const producer = kafka.producer();
    await producer.connect();
    try {
      const messages = [];
      for (const record of args.records) {
        messages.push({ key: record.id, value: await serializer.serialize(args.topic, record) });
      }
      await producer.send({ topic: args.topic, messages });
    } finally {
      await producer.disconnect();
    }
    return { produced: args.records.length };
  },

  /** Consumes records another client wrote and decodes them with Confluent's deserializer. */
  async consume() {
    const deserializer = new AvroDeserializer(confluentClient(), SerdeType.VALUE, {});
    const kafka = new Kafka({ clientId: 'meshbone-interop', brokers: args.brokers, logLevel: logLevel.ERROR });
    const consumer = kafka.consumer({ groupId: args.groupId });
    const decoded = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: args.topic, fromBeginning: true });
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${decoded.length} of ${args.count} records within 60 s`)), 60_000);
        consumer
          .run({
            eachMessage: async ({ message }) => {
              decoded.push(await deserializer.deserialize(args.topic, message.value));
              if (decoded.length >= args.count) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return { decoded };
  },

  /**
   * kafkajs over SASL/SCRAM-SHA-512, as a domain's own client: tries to read a product topic again
   * and again (a new consumer each time, in the domain's group) until the broker's answer is the
   * expected one, 'read' (a record came) or 'denied' (TOPIC_AUTHORIZATION_FAILED), and says how
   * long that took.
   */
  async kafkajsRead() {
    const { brokers, username, password, topic, groupId, expect, timeoutMs } = args;
    const kafka = scramKafka(brokers, username, password);
    const start = Date.now();
    let last = { outcome: 'none' };
    while (Date.now() - start < timeoutMs) {
      last = await readOnce(kafka, topic, groupId);
      if (last.outcome === expect) {
        return { ...last, afterMs: Date.now() - start };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`reading ${topic} as ${username} stayed '${last.outcome}' (${last.error ?? ''}) for ${timeoutMs} ms; expected '${expect}'`);
  },

  /** kafkajs with a wrong SCRAM password, and with no SASL at all: both refused. */
  async kafkajsRefused() {
    const { brokers, username } = args;
    const wrong = await refusal(connectAdmin(scramKafka(brokers, username, 'not-the-password')));
    const anonymous = await refusal(
      connectAdmin(
        new Kafka({
          clientId: 'meshbone-interop-anonymous',
          brokers,
          logLevel: logLevel.NOTHING,
          connectionTimeout: 2000,
          requestTimeout: 3000,
          retry: { retries: 0 },
        }),
      ),
    );
    return { wrong: { refused: wrong.refused, type: wrong.message?.split(':')[0] }, anonymous: { refused: anonymous.refused } };
  },
};

function scramKafka(brokers, username, password) {
  return new Kafka({
    clientId: 'meshbone-interop-scram',
    brokers,
    logLevel: logLevel.NOTHING,
    sasl: { mechanism: 'scram-sha-512', username, password },
    retry: { retries: 0 },
  });
}

async function connectAdmin(kafka) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** One read attempt: 'read' when a record arrives within 5 s, 'denied' on an authorization error. */
async function readOnce(kafka, topic, groupId) {
  const consumer = kafka.consumer({ groupId, retry: { retries: 0 } });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const outcome = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ outcome: 'nothing' }), 5000);
      consumer
        .run({
          eachMessage: async () => {
            clearTimeout(timer);
            resolve({ outcome: 'read' });
          },
        })
        .catch((e) => {
          clearTimeout(timer);
          resolve(denial(e));
        });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        clearTimeout(timer);
        resolve(denial(payload.error));
      });
    });
    return outcome;
  } catch (e) {
    return denial(e);
  } finally {
    await consumer.disconnect().catch(() => {});
  }
}

function denial(e) {
  const type = e?.type ?? e?.originalError?.type ?? '';
  if (/AUTHORIZATION_FAILED/.test(type) || /not authorized/i.test(String(e?.message))) {
    return { outcome: 'denied', error: type || String(e?.message) };
  }
  return { outcome: 'error', error: String(e?.message ?? e) };
}

const run = scenarios[scenario];
if (!run) {
  console.error(`unknown scenario '${scenario}'; one of ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
try {
  const result = await run();
  console.log('RESULT ' + JSON.stringify(result, (k, v) => (typeof v === 'bigint' ? Number(v) : v)));
  process.exit(0);
} catch (e) {
  console.error(e?.stack ?? String(e));
  process.exit(1);
}
